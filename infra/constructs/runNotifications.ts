/**
 * The SNS topic that emails run notices and the dead-letter alarms. TLS-only, encrypted with a
 * key of its own: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
 */
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface RunNotificationsProps {
  /** Who gets the emails; the recipient must confirm the subscription AWS sends. @default no subscription */
  readonly notifyEmail?: string | undefined;
}

export class RunNotifications extends Construct {
  /** Where run notices and dead-letter alarms are published. */
  readonly topic: Topic;

  private key(): Key {
    const key = new Key(this, 'TopicKey', { description: 'Portfolio Combiner: encrypts the notice topic', enableKeyRotation: true });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    return key;
  }

  constructor(scope: Construct, id: string, props: RunNotificationsProps = {}) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Portfolio Combiner',
      enforceSSL: true,
      masterKey: this.key(),
    });
    if (props.notifyEmail !== undefined && props.notifyEmail !== '') {
      this.topic.addSubscription(new EmailSubscription(props.notifyEmail));
    }
  }
}
