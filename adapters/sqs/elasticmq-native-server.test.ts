import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { tempDir } from "../../test/support/temp-dir.js";
import type { ServerControl } from "../contract/service.js";
import { startNativeElasticMq } from "./elasticmq-native-server.js";
import { sqsAdapterFactory } from "./sqs-adapter.js";

describe("native ElasticMQ", { timeout: 300_000 }, () => {
  it("listens on 127.0.0.1 only, and with persist keeps a queue and its messages through a kill and restart", async () => {
    const server = await startNativeElasticMq({ workDir: await tempDir("elasticmq-persist"), settings: { persist: true } });
    const adapter = sqsAdapterFactory.create({ endpoint: server.endpoint });
    try {
      assert.match(server.endpoint.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(await readFile(server.logFile as string, "utf8"), /bind address 127\.0\.0\.1:\d+/, "the log says where it listens");
      assert.match(server.persistence.storage ?? "", /H2 database/);
      await adapter.connect();
      const stream = { name: `persist-${process.pid}`, partitions: 1 };
      await adapter.setup(stream, ["g"]);
      const producer = await adapter.createProducer(stream);
      const payload = new TextEncoder().encode("kept");
      assert.equal((await producer.append([1, 2, 3].map((n) => ({ key: `k${n}`, payload })))).appended, 3);
      const control = server.control as ServerControl;
      await control.kill();
      await control.restart();
      assert.equal(await adapter.exists(stream), true, "the queue survived the kill");
      assert.equal((await adapter.lag(stream, "g")).events, 3, "so did its messages");
      await adapter.teardown(stream);
    } finally {
      await adapter.close();
      await server.stop();
    }
  });
});
