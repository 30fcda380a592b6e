import { Partitioners, type Message, type PartitionMetadata, type Producer, type ProducerRecord } from "kafkajs";

/**
 * kafkajs 2.2.4's `send` loses acknowledged messages when a partition's leader moves during its
 * retries: the responses of one send are kept per broker across retries, and a retry goes only to
 * brokers without a response yet, so a partition whose new leader is a broker that had already
 * answered for another partition is never sent again, and the send resolves as a success
 * (`responsePerBroker` in src/producer/sendMessages.js; tulios/kafkajs#1303, unfixed). A send that
 * holds one partition only cannot hit this: each is its own send, with its own retries, partitioned
 * as kafkajs's default partitioner would (by the key's murmur2 hash over the topic's partitions).
 */
export function sendPerPartition(producer: Pick<Producer, "send">, partitions: readonly PartitionMetadata[]) {
  const partitionOf = Partitioners.DefaultPartitioner();
  const partitionMetadata = [...partitions];
  return async (record: ProducerRecord): Promise<void> => {
    const byPartition = new Map<number, Message[]>();
    for (const message of record.messages) {
      const partition = partitionOf({ topic: record.topic, partitionMetadata, message });
      let messages = byPartition.get(partition);
      if (!messages) byPartition.set(partition, (messages = []));
      messages.push({ ...message, partition });
    }
    await Promise.all([...byPartition.values()].map((messages) => producer.send({ ...record, messages })));
  };
}
