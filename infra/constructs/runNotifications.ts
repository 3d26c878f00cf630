/** The SNS topic that emails run summaries, alerts and failure notices. TLS-only, encrypted. */
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface RunNotificationsProps {
  /** Who gets the emails; the recipient must confirm the subscription AWS sends. @default no subscription */
  readonly notifyEmail?: string | undefined;
}

export class RunNotifications extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: RunNotificationsProps = {}) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Portfolio Combiner',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (props.notifyEmail !== undefined && props.notifyEmail !== '') {
      this.topic.addSubscription(new EmailSubscription(props.notifyEmail));
    }
  }
}
