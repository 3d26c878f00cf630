/** The entry of `npx cdk synth|deploy` (cdk.json); the CDK CLI synthesizes the app when this exits. */
import { buildApp } from './buildApp.ts';

buildApp();
