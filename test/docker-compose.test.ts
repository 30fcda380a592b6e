import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * docker-compose.yml cannot run here (no Docker engine): what can be checked is checked — it
 * parses, images are pinned, ports stay on loopback and agree with docs/environments.md, every mounted file
 * exists, Prometheus' config passes promtool, and Grafana gets every generated dashboard.
 */
interface Service {
  image: string;
  ports?: string[];
  volumes?: string[];
}

const compose = async () => parse(await readFile(join(REPO_ROOT, "docker-compose.yml"), "utf8")) as { services: Record<string, Service> };
const HARNESS_METRICS_PORT = 9464;

describe("docker-compose stack", () => {
  it("pins every image and publishes every port on 127.0.0.1 only", async () => {
    const { services } = await compose();
    assert.deepEqual(Object.keys(services).sort(), ["dynamodb", "grafana", "kafka", "prometheus", "redis"]);
    for (const [name, s] of Object.entries(services)) {
      assert.match(s.image, /:[\w.-]+$/, `${name}: image has a tag`);
      assert.doesNotMatch(s.image, /:latest$/, `${name}: image is pinned, not latest`);
      for (const p of s.ports ?? []) assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name}: ${p} is published on loopback only`);
    }
  });

  it("agrees with docs/environments.md on ports and with the endpoints the harness reads", async () => {
    const { services } = await compose();
    const published = (name: string) => (services[name]?.ports ?? []).map((p) => Number(p.split(":")[1]));
    const doc = await readFile(join(REPO_ROOT, "docs", "environments.md"), "utf8");
    assert.ok(published("redis").includes(6379) && doc.includes("REDIS_URL=redis://127.0.0.1:6379"));
    assert.ok(published("kafka").includes(9092) && doc.includes("KAFKA_BROKERS=127.0.0.1:9092"));
    assert.ok(published("dynamodb").includes(8000) && doc.includes("DYNAMODB_ENDPOINT=http://127.0.0.1:8000"));
    assert.ok(published("grafana").includes(3000) && doc.includes("http://127.0.0.1:3000"));
    assert.ok(doc.includes(`--metrics-port ${HARNESS_METRICS_PORT}`));
    const prometheus = parse(await readFile(join(REPO_ROOT, "dashboards/prometheus/prometheus.yml"), "utf8")) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    assert.deepEqual(prometheus.scrape_configs[0]?.static_configs[0]?.targets, [`host.docker.internal:${HARNESS_METRICS_PORT}`]);
  });

  it("mounts files that exist, and provisions every generated dashboard and a Prometheus data source", async () => {
    const { services } = await compose();
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const host = v.split(":")[0] as string;
        assert.ok(existsSync(join(REPO_ROOT, host)), `${name}: mounted ${host} exists`);
      }
    }
    const grafanaMounts = Object.fromEntries((services.grafana?.volumes ?? []).map((v) => [v.split(":")[1], v.split(":")[0]]));
    const provider = parse(await readFile(join(REPO_ROOT, "dashboards/provisioning/dashboards/eventbench.yaml"), "utf8")) as { providers: { options: { path: string } }[] };
    const dashboardsDir = grafanaMounts[provider.providers[0]?.options.path as string];
    assert.equal(dashboardsDir, "./dashboards/generated", "the provider's path is where the generated JSON is mounted");
    assert.deepEqual((await readdir(join(REPO_ROOT, "dashboards/generated"))).sort(), ["eventbench-adapter.json", "eventbench-harness.json", "eventbench-overview.json"]);
    const datasources = parse(await readFile(join(REPO_ROOT, "dashboards/provisioning/datasources/eventbench.yaml"), "utf8")) as { datasources: { type: string; url: string }[] };
    assert.deepEqual(datasources.datasources.map((d) => [d.type, d.url]), [["prometheus", "http://prometheus:9090"]]);
  });

  it("has a Prometheus configuration that promtool accepts", async () => {
    const { stdout } = await promisify(execFile)("promtool", ["check", "config", join(REPO_ROOT, "dashboards/prometheus/prometheus.yml")]);
    assert.match(stdout, /SUCCESS/);
  });
});
