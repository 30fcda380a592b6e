import { GetQueueAttributesCommand, GetQueueUrlCommand, QueueDoesNotExist, type SQSClient } from "@aws-sdk/client-sqs";

/** The URL of the queue named `queueName`, or null when there is none. */
export async function queueUrlOf(client: SQSClient, queueName: string): Promise<string | null> {
  try {
    return (await client.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl ?? null;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) return null;
    throw error;
  }
}

/**
 * A queue's backlog as SQS counts it (approximately on AWS, exactly on ElasticMQ and moto):
 * messages waiting, received and not yet deleted (in flight), and delayed.
 */
export async function queueBacklog(client: SQSClient, queueUrl: string): Promise<number> {
  const answer = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  const count = (name: string) => Number(answer.Attributes?.[name as keyof typeof answer.Attributes] ?? 0);
  return count("ApproximateNumberOfMessages") + count("ApproximateNumberOfMessagesNotVisible") + count("ApproximateNumberOfMessagesDelayed");
}

/** A queue's ARN (what a redrive policy or an SNS subscription names). */
export async function queueArnOf(client: SQSClient, queueUrl: string | undefined): Promise<string> {
  const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn;
  if (!arn) throw new Error(`the queue ${queueUrl ?? "?"} has no QueueArn`);
  return arn;
}
