/** Where the tests find the repository's own files, wherever a test file sits under test/. */
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** The bundled sample the README's first command runs on. */
export const SAMPLE_DATA = join(REPO_ROOT, 'sample-data');
/** The sample events of events/, as the handlers receive them. */
export const EVENTS_FOLDER = join(REPO_ROOT, 'events');
/** Pictures and files the tests compare against, made by earlier code. */
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
