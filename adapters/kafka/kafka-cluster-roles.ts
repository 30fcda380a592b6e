import { Connection, describeQuorumV2 } from "@platformatic/kafka";
import { Kafka, logLevel } from "kafkajs";

/** What a kill-broker fault may name instead of a node number, as `ClusterMembers.roles` lists it. */
export const KAFKA_ROLES: Readonly<Record<string, string>> = {
  leader: "the leader of partition 0 of the entry's topic, as the metadata names it",
  controller: "the active controller of the KRaft quorum, as DescribeQuorum names it",
};

/** KRaft keeps its own metadata log as this topic's only partition; its Raft leader is the active controller. */
const METADATA_TOPIC = "__cluster_metadata";

/** The node leading partition 0 of `topic`, asked of the nodes still running. */
export async function partitionLeader(bootstraps: readonly string[], topic: string): Promise<number> {
  const admin = new Kafka({ clientId: "eventbench-fault", brokers: [...bootstraps], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 2, initialRetryTime: 100 } }).admin();
  try {
    await admin.connect();
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const leader = metadata?.partitions.find((p) => p.partitionId === 0)?.leader;
    if (leader === undefined || leader < 0) throw new Error(`partition 0 of ${topic} has no leader in the metadata`);
    return leader;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** The active controller: the Raft leader of the metadata log, asked of one running node (which forwards to the quorum). */
export async function activeController(bootstrap: string): Promise<number> {
  const [host, port] = bootstrap.split(":") as [string, string];
  const connection = new Connection("eventbench-fault", { connectTimeout: 1_000 });
  try {
    await connection.connect(host, Number(port));
    const response = await describeQuorumV2.api.async(connection, [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0 }] }]);
    const leader = response.topics[0]?.partitions[0]?.leaderId;
    if (leader === undefined || leader < 0) throw new Error("the controller quorum has no leader");
    return leader;
  } finally {
    await connection.close().catch(() => {});
  }
}
