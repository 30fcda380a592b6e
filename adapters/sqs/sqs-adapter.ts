import { createRequire } from "node:module";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  TagQueueCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type {
  AdapterCapabilities,
  AdapterFactory,
  AdapterOptions,
  ConsumerOptions,
  EventConsumer,
  EventHandler,
  EventProducer,
  LagSample,
  StreamAdapter,
  StreamSpec,
  SystemInfo,
} from "../contract/adapter.js";
import { sqsClient } from "./sqs-client.js";
import { newSqsCounters } from "./sqs-counters.js";
import { DEFAULT_VISIBILITY_S, SqsGroupMember } from "./sqs-group-member.js";
import { MAX_SEND_BATCH, SqsProducer } from "./sqs-producer.js";
import { queueArnOf, queueBacklog, queueUrlOf } from "./sqs-queues.js";
import { deadLetterQueueNameOf, queueNameOf } from "./sqs-queue-names.js";
import { parseSqsSettings, type SqsSettings } from "./sqs-settings.js";

const CLIENT_VERSION = (createRequire(import.meta.url)("@aws-sdk/client-sqs/package.json") as { version: string }).version;
const NAME = "sqs";
/** The queue tag naming the one group that reads it, so a member of another group is refused. */
const GROUP_TAG = "eventbench-group";

const standardCapabilities: AdapterCapabilities = {
  // A standard queue promises no order (best effort); the verifier measures what it gives.
  orderingPerKey: false,
  // Members compete for the queue's messages, each message going to one of them.
  consumerGroups: true,
  // A queue is drained by one group: giving several groups every event is SNS's fan-out, not a queue's.
  independentGroups: false,
  // The visibility timeout (= claimIdleAfterMs) returns what a dead member held.
  redeliveryOfUnacked: true,
  // A deleted message is gone: no re-reading.
  replay: false,
  optimisticConcurrency: false,
  readAggregate: false,
  // Delivery is at least once (a message not deleted in time comes back), FIFO's deduplication
  // covers sends only.
  exactlyOnce: false,
  // ApproximateNumberOfMessages (+ NotVisible) count the backlog; its age has no API call.
  systemReportsLag: true,
  // Messages older than MessageRetentionPeriod (4 days by default) are dropped.
  retention: true,
  inProcess: false,
};

/** FIFO: a message group (= aggregate) is handed out one in-flight batch at a time, in order, whatever the members. */
const fifoCapabilities: AdapterCapabilities = { ...standardCapabilities, orderingPerKey: true };

const capabilitiesWith = (settings: Readonly<Record<string, unknown>>): AdapterCapabilities =>
  parseSqsSettings(NAME, settings).queueType === "fifo" ? fifoCapabilities : standardCapabilities;

const oneGroupOnly = (what: string) =>
  `sqs: ${what}: a queue is drained by one consumer group, its members competing for its messages (independentGroups: false); several groups each reading every event is a fan-out, SNS's job (a topic with a queue per group)`;

/** Amazon SQS (or ElasticMQ): a stream is one queue, read by one consumer group (README.md in this folder). */
class SqsAdapter implements StreamAdapter {
  readonly name = NAME;
  readonly capabilities: AdapterCapabilities;
  private readonly settings: SqsSettings;
  private sqs: { readonly client: SQSClient; readonly isAws: boolean } | undefined;
  private readonly counters = newSqsCounters();
  private readonly queueUrls = new Map<string, string>();

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseSqsSettings(NAME, options.settings);
    this.capabilities = capabilitiesWith(options.settings ?? {});
  }

  async connect(): Promise<void> {
    this.sqs = sqsClient(this.options.endpoint, this.settings);
    await this.client.send(new ListQueuesCommand({ MaxResults: 1 }));
  }

  async info(): Promise<SystemInfo> {
    const server = this.options.endpoint.serverVersion ?? (this.sqs?.isAws ? "Amazon SQS" : "SQS-compatible endpoint (version not reported)");
    const { queueType, waitTimeSeconds, receivers } = this.settings;
    return { server, client: `@aws-sdk/client-sqs ${CLIENT_VERSION}; ${queueType} queue, long poll ${waitTimeSeconds} s, ${receivers} receive loop(s) per member` };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    if (groups.length > 1) throw new Error(oneGroupOnly(`stream ${stream.name} was asked for ${groups.length} groups`));
    const fifo = this.settings.queueType === "fifo";
    const fifoAttribute: Record<string, string> = fifo ? { FifoQueue: "true" } : {};
    const redrive = this.settings.maxReceiveCount > 0 ? { RedrivePolicy: await this.deadLetterPolicy(stream, fifoAttribute) } : {};
    const answer = await this.client.send(
      new CreateQueueCommand({
        QueueName: queueNameOf(stream.name, fifo),
        Attributes: { VisibilityTimeout: String(DEFAULT_VISIBILITY_S), ...fifoAttribute, ...redrive },
        ...(groups[0] !== undefined ? { tags: { [GROUP_TAG]: groups[0] } } : {}),
      }),
    );
    if (answer.QueueUrl) this.queueUrls.set(stream.name, answer.QueueUrl);
  }

  async teardown(stream: StreamSpec): Promise<void> {
    const urls = [await this.findQueueUrl(stream), await this.urlOf(this.deadLetterName(stream))];
    this.queueUrls.delete(stream.name);
    for (const url of urls) {
      if (url === null) continue;
      try {
        await this.client.send(new DeleteQueueCommand({ QueueUrl: url }));
      } catch (error) {
        if (!(error instanceof QueueDoesNotExist)) throw error;
      }
    }
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    this.queueUrls.delete(stream.name);
    return (await this.findQueueUrl(stream)) !== null;
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    return new SqsProducer({
      client: this.client,
      queueUrl: await this.queueUrl(stream),
      fifo: this.settings.queueType === "fifo",
      maxAttempts: this.settings.maxAttempts,
      counters: this.counters,
    });
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const queueUrl = await this.queueUrl(stream);
    const tags = (await this.client.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags ?? {};
    const group = tags[GROUP_TAG];
    if (group === undefined) await this.client.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { [GROUP_TAG]: options.group } }));
    else if (group !== options.group) throw new Error(oneGroupOnly(`group ${options.group} cannot join stream ${stream.name}, which group ${group} reads`));
    const member = new SqsGroupMember({
      client: this.client,
      queueUrl,
      options,
      receivers: this.settings.receivers,
      waitTimeSeconds: this.settings.waitTimeSeconds,
      counters: this.counters,
      onEvents,
    });
    member.start();
    return member;
  }

  /** Read by the harness after every interval (as deltas) into the result's `adapterStats`. */
  stats(): Readonly<Record<string, number>> {
    return { ...this.counters };
  }

  /**
   * Messages waiting plus those received and not yet deleted (in flight), as SQS counts them
   * (approximately on AWS, exactly on ElasticMQ). Their age has no API call (CloudWatch's
   * ApproximateAgeOfOldestMessage aside): null while any are behind, 0 when none are.
   */
  async lag(stream: StreamSpec): Promise<LagSample> {
    const events = await queueBacklog(this.client, await this.queueUrl(stream));
    if (this.settings.maxReceiveCount > 0) await this.countDeadLettered(stream);
    return { events, oldestAgeMs: events === 0 ? 0 : null };
  }

  async close(): Promise<void> {
    this.sqs?.client.destroy();
    this.sqs = undefined;
  }

  private deadLetterName(stream: StreamSpec): string {
    return deadLetterQueueNameOf(stream.name, this.settings.queueType === "fifo");
  }

  /** Creates the dead-letter queue (a FIFO queue's must be FIFO) and answers the redrive policy pointing at it. */
  private async deadLetterPolicy(stream: StreamSpec, fifoAttribute: Record<string, string>): Promise<string> {
    const created = await this.client.send(new CreateQueueCommand({ QueueName: this.deadLetterName(stream), Attributes: fifoAttribute }));
    const arn = await queueArnOf(this.client, created.QueueUrl);
    return JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: this.settings.maxReceiveCount });
  }

  /** What SQS moved to the dead-letter queue: nobody reads it, so its count only grows. */
  private async countDeadLettered(stream: StreamSpec): Promise<void> {
    const url = await this.urlOf(this.deadLetterName(stream));
    if (url === null) return;
    const answer = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
    this.counters.deadLettered = Number(answer.Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  private async queueUrl(stream: StreamSpec): Promise<string> {
    const url = await this.findQueueUrl(stream);
    if (url === null) throw new Error(`sqs: the queue of stream ${stream.name} (${queueNameOf(stream.name, this.settings.queueType === "fifo")}) does not exist`);
    return url;
  }

  private async findQueueUrl(stream: StreamSpec): Promise<string | null> {
    const known = this.queueUrls.get(stream.name);
    if (known) return known;
    const url = await this.urlOf(queueNameOf(stream.name, this.settings.queueType === "fifo"));
    if (url !== null) this.queueUrls.set(stream.name, url);
    return url;
  }

  private urlOf(queueName: string): Promise<string | null> {
    return queueUrlOf(this.client, queueName);
  }

  private get client(): SQSClient {
    if (!this.sqs) throw new Error(`${NAME} adapter used before connect()`);
    return this.sqs.client;
  }
}

export const sqsAdapterFactory: AdapterFactory = {
  name: NAME,
  service: "sqs",
  capabilities: standardCapabilities,
  capabilitiesWith,
  maxAppendBatch: MAX_SEND_BATCH,
  leftOutOfDefaultRuns:
    "ElasticMQ held 18.8 of the quickstart's 300 events/s here (publish-consume, one event per SendMessageBatch; 2-core machine at load 20, 2026-12-03); not yet measured on a quiet machine",
  validateSettings: (settings) => void parseSqsSettings(NAME, settings),
  create: (options) => new SqsAdapter(options),
};
