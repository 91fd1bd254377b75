import type { Admin } from 'kafkajs';

/**
 * A consumer group's lag on each of its topics: the messages after its committed offsets, summed
 * over the partitions (high watermark minus committed offset). A partition with no committed
 * offset counts from its low watermark with `uncommitted: 'all'` (a group that reads from the
 * beginning has all of it ahead), as 0 with `'none'` (a group that starts at the end and has not
 * committed yet). Keys are the topic names as given.
 */
export async function consumerGroupLag(admin: Admin, groupId: string, topics: string[], uncommitted: 'all' | 'none'): Promise<Map<string, number>> {
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics }), Promise.all(topics.map((t) => admin.fetchTopicOffsets(t)))]);
  const lag = new Map<string, number>();
  topics.forEach((topic, i) => {
    const done = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    let sum = 0;
    for (const p of ends[i]) {
      const high = Number(p.high);
      const at = done.get(p.partition) ?? -1;
      if (at >= 0) sum += Math.max(0, high - at);
      else if (uncommitted === 'all') sum += Math.max(0, high - Number(p.low));
    }
    lag.set(topic, sum);
  });
  return lag;
}
