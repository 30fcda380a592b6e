import { createRequire } from "node:module";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  NotFoundException,
  SubscribeCommand,
  UnsubscribeCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { parseAdapterSettings } from "../contract/adapter-settings.js";
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
import { sqsClient } from "../sqs/sqs-client.js";
import { newSqsCounters } from "../sqs/sqs-counters.js";
import { DEFAULT_VISIBILITY_S, SqsGroupMember } from "../sqs/sqs-group-member.js";
import { queueArnOf, queueBacklog, queueUrlOf } from "../sqs/sqs-queues.js";
import { SQS_RECEIVE_DEFAULTS, SQS_RECEIVE_RULES, type SqsReceiveSettings } from "../sqs/sqs-settings.js";
import { snsClient } from "./sns-client.js";
import { MAX_PUBLISH_BATCH, SnsPublisher } from "./sns-publisher.js";
import { sqsEndpointOf } from "./sns-sqs-endpoints.js";
import { GROUP_TAG, groupQueueNameOf, groupQueuePrefixOf, STREAM_TAG, topicNameOf } from "./sns-sqs-names.js";

const versionOf = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
const SNS_CLIENT_VERSION = versionOf("@aws-sdk/client-sns");
const SQS_CLIENT_VERSION = versionOf("@aws-sdk/client-sqs");
const NAME = "sns-sqs";

const parseSettings = (raw: Readonly<Record<string, unknown>> = {}): SqsReceiveSettings => parseAdapterSettings(NAME, raw, SQS_RECEIVE_DEFAULTS, SQS_RECEIVE_RULES);

const capabilities: AdapterCapabilities = {
  // A standard topic and standard queues promise no order (best effort); the verifier measures what they give.
  orderingPerKey: false,
  // A group's members compete for its queue's messages.
  consumerGroups: true,
  // Every group has its own queue subscribed to the topic: each receives every event.
  independentGroups: true,
  // The queue's visibility timeout (= claimIdleAfterMs) returns what a dead member held.
  redeliveryOfUnacked: true,
  // A deleted message is gone, and a queue subscribed later gets only what is published after.
  replay: false,
  optimisticConcurrency: false,
  readAggregate: false,
  // At least once on both hops.
  exactlyOnce: false,
  // Each group queue's ApproximateNumberOfMessages (+ NotVisible) count its backlog; no call dates it.
  systemReportsLag: true,
  // The queues drop messages older than MessageRetentionPeriod (4 days by default).
  retention: true,
  inProcess: false,
};

/** The policy that lets the stream's topic (and only it) send to a group queue: real SNS needs it, moto does not check it. */
function topicMayDeliver(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } }],
  });
}

/**
 * SNS fan-out to SQS: a stream is a topic, each consumer group a queue subscribed to it with raw
 * message delivery, its members the sqs adapter's (README.md in this folder).
 */
class SnsSqsAdapter implements StreamAdapter {
  readonly name = NAME;
  readonly capabilities = capabilities;
  private readonly settings: SqsReceiveSettings;
  private clients: { readonly sns: SNSClient; readonly sqs: SQSClient; readonly isAws: boolean } | undefined;
  private readonly counters = newSqsCounters();
  private readonly topicArns = new Map<string, string>();
  private readonly queueUrls = new Map<string, string>();

  constructor(private readonly options: AdapterOptions) {
    this.settings = parseSettings(options.settings);
  }

  async connect(): Promise<void> {
    const sns = snsClient(this.options.endpoint, this.settings);
    const sqs = sqsClient(sqsEndpointOf(this.options.endpoint), this.settings);
    this.clients = { sns: sns.client, sqs: sqs.client, isAws: sns.isAws };
    await this.sns.send(new ListTopicsCommand({}));
    await this.sqs.send(new ListQueuesCommand({ MaxResults: 1 }));
  }

  async info(): Promise<SystemInfo> {
    const server = this.options.endpoint.serverVersion ?? (this.clients?.isAws ? "Amazon SNS and SQS" : "SNS- and SQS-compatible endpoint (version not reported)");
    const { waitTimeSeconds, receivers } = this.settings;
    return {
      server,
      client: `@aws-sdk/client-sns ${SNS_CLIENT_VERSION}, @aws-sdk/client-sqs ${SQS_CLIENT_VERSION}; a standard queue per group, raw message delivery, long poll ${waitTimeSeconds} s, ${receivers} receive loop(s) per member`,
    };
  }

  async setup(stream: StreamSpec, groups: readonly string[]): Promise<void> {
    const topic = await this.sns.send(new CreateTopicCommand({ Name: topicNameOf(stream.name), Tags: [{ Key: STREAM_TAG, Value: stream.name }] }));
    if (!topic.TopicArn) throw new Error(`sns-sqs: CreateTopic of stream ${stream.name} answered no TopicArn`);
    this.topicArns.set(stream.name, topic.TopicArn);
    for (const group of groups) await this.subscribeGroup(stream, topic.TopicArn, group);
  }

  /** Unsubscribes everything from the stream's topic, deletes the queues tagged as this stream's and the topic. */
  async teardown(stream: StreamSpec): Promise<void> {
    const topicArn = await this.findTopicArn(stream);
    this.topicArns.delete(stream.name);
    for (const key of this.queueUrls.keys()) if (key.startsWith(`${stream.name}\n`)) this.queueUrls.delete(key);
    if (topicArn !== null) {
      for (const subscription of await this.subscriptionsOf(topicArn)) await this.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription }));
    }
    for (const url of await this.groupQueuesOf(stream)) {
      try {
        await this.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
      } catch (error) {
        if (!(error instanceof QueueDoesNotExist)) throw error;
      }
    }
    if (topicArn !== null) await this.sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
  }

  async exists(stream: StreamSpec): Promise<boolean> {
    this.topicArns.delete(stream.name);
    return (await this.findTopicArn(stream)) !== null;
  }

  async createProducer(stream: StreamSpec): Promise<EventProducer> {
    return new SnsPublisher({ client: this.sns, topicArn: await this.topicArn(stream), maxAttempts: this.settings.maxAttempts, counters: this.counters });
  }

  async createConsumer(stream: StreamSpec, options: ConsumerOptions, onEvents: EventHandler): Promise<EventConsumer> {
    const member = new SqsGroupMember({
      client: this.sqs,
      queueUrl: await this.groupQueueUrl(stream, options.group),
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
    const { sendRetries, receiveErrors, emptyReceives, ackFailures } = this.counters;
    return { publishRetries: sendRetries, receiveErrors, emptyReceives, ackFailures };
  }

  /**
   * The group queue's backlog (waiting plus in flight), as SQS counts it. What SNS accepted and
   * has not yet delivered to the queue is not in it (moto delivers within the publish; AWS
   * within milliseconds). Its age has no API call: null while any are behind, 0 when none are.
   */
  async lag(stream: StreamSpec, group: string): Promise<LagSample> {
    const events = await queueBacklog(this.sqs, await this.groupQueueUrl(stream, group));
    return { events, oldestAgeMs: events === 0 ? 0 : null };
  }

  async close(): Promise<void> {
    this.clients?.sns.destroy();
    this.clients?.sqs.destroy();
    this.clients = undefined;
  }

  /** The group's queue, tagged with the stream and group, the topic allowed to send to it, subscribed with raw message delivery. */
  private async subscribeGroup(stream: StreamSpec, topicArn: string, group: string): Promise<void> {
    const created = await this.sqs.send(
      new CreateQueueCommand({
        QueueName: groupQueueNameOf(stream.name, group),
        Attributes: { VisibilityTimeout: String(DEFAULT_VISIBILITY_S) },
        tags: { [STREAM_TAG]: stream.name, [GROUP_TAG]: group },
      }),
    );
    const queueArn = await queueArnOf(this.sqs, created.QueueUrl);
    await this.sqs.send(new SetQueueAttributesCommand({ QueueUrl: created.QueueUrl, Attributes: { Policy: topicMayDeliver(queueArn, topicArn) } }));
    await this.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn, Attributes: { RawMessageDelivery: "true" } }));
    if (created.QueueUrl) this.queueUrls.set(`${stream.name}\n${group}`, created.QueueUrl);
  }

  private async groupQueueUrl(stream: StreamSpec, group: string): Promise<string> {
    const key = `${stream.name}\n${group}`;
    const known = this.queueUrls.get(key);
    if (known) return known;
    const url = await queueUrlOf(this.sqs, groupQueueNameOf(stream.name, group));
    if (url === null) throw new Error(`sns-sqs: consumer group "${group}" was not set up on stream ${stream.name} (no queue ${groupQueueNameOf(stream.name, group)} subscribed to its topic)`);
    this.queueUrls.set(key, url);
    return url;
  }

  /** Every queue named like one of the stream's group queues and tagged as the stream's: only those the run made for it. */
  private async groupQueuesOf(stream: StreamSpec): Promise<string[]> {
    const found: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.sqs.send(new ListQueuesCommand({ QueueNamePrefix: groupQueuePrefixOf(stream.name), MaxResults: 1000, NextToken }));
      for (const url of page.QueueUrls ?? []) {
        try {
          if ((await this.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags?.[STREAM_TAG] === stream.name) found.push(url);
        } catch (error) {
          if (!(error instanceof QueueDoesNotExist)) throw error;
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return found;
  }

  private async subscriptionsOf(topicArn: string): Promise<string[]> {
    const found: string[] = [];
    let NextToken: string | undefined;
    do {
      let page;
      try {
        page = await this.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
      } catch (error) {
        if (error instanceof NotFoundException) return found;
        throw error;
      }
      for (const s of page.Subscriptions ?? []) if (s.SubscriptionArn?.startsWith(`${topicArn}:`)) found.push(s.SubscriptionArn);
      NextToken = page.NextToken;
    } while (NextToken);
    return found;
  }

  private async topicArn(stream: StreamSpec): Promise<string> {
    const arn = await this.findTopicArn(stream);
    if (arn === null) throw new Error(`sns-sqs: the topic of stream ${stream.name} (${topicNameOf(stream.name)}) does not exist`);
    return arn;
  }

  /** The stream's topic, found by its name among ListTopics' pages (SNS has no lookup by name that does not create). */
  private async findTopicArn(stream: StreamSpec): Promise<string | null> {
    const known = this.topicArns.get(stream.name);
    if (known) return known;
    const suffix = `:${topicNameOf(stream.name)}`;
    let NextToken: string | undefined;
    do {
      const page = await this.sns.send(new ListTopicsCommand({ NextToken }));
      const arn = page.Topics?.find((t) => t.TopicArn?.endsWith(suffix))?.TopicArn;
      if (arn) {
        this.topicArns.set(stream.name, arn);
        return arn;
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return null;
  }

  private get sns(): SNSClient {
    if (!this.clients) throw new Error(`${NAME} adapter used before connect()`);
    return this.clients.sns;
  }

  private get sqs(): SQSClient {
    if (!this.clients) throw new Error(`${NAME} adapter used before connect()`);
    return this.clients.sqs;
  }
}

export const snsSqsAdapterFactory: AdapterFactory = {
  name: NAME,
  service: "sns",
  capabilities,
  maxAppendBatch: MAX_PUBLISH_BATCH,
  leftOutOfDefaultRuns:
    "moto's server mode acknowledged 11.5 of the quickstart's 300 events/s here (publish-consume, one event per PublishBatch; connections to it timed out after 3 s; 2-core machine at load 21, 2026-12-03); it held 20/s",
  validateSettings: (settings) => void parseSettings(settings),
  create: (options) => new SnsSqsAdapter(options),
};
