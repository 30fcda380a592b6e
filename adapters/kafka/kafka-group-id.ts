/**
 * The Kafka consumer group id of a run's logical group (`group-1` …). Group ids are cluster-wide
 * while topics carry the run id, so the id carries the topic's name: a run against a shared
 * cluster never joins, reads or deletes a group it did not create (a bare `group-1` once deleted
 * a team's group with its committed offsets on another topic).
 */
export function kafkaGroupId(topic: string, group: string): string {
  return `${topic}.${group}`;
}
