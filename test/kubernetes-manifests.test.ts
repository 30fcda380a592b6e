import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT, runCli } from "./support/run-cli.js";

interface Container {
  args: string[];
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { secretRef?: { name: string } }[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: { spec: { restartPolicy: string; containers: Container[]; volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[] } };
  };
}

const load = async (file: string) =>
  parseAllDocuments(await readFile(join(REPO_ROOT, "deploy", "kubernetes", file), "utf8")).map((d) => {
    assert.deepEqual(d.errors, [], `${file} parses`);
    return d.toJSON() as Manifest;
  });

describe("Kubernetes manifests for workers beyond one machine", () => {
  it("start N indexed workers against external endpoints, each with its own run id, on one shared results volume", async () => {
    const docs = await load("eventbench-workers.yaml");
    const job = docs.find((d) => d.kind === "Job") as Manifest;
    assert.equal(job.spec.completionMode, "Indexed");
    assert.equal(job.spec.parallelism, job.spec.completions, "every worker at once: they drive the cluster together");
    const [worker] = job.spec.template.spec.containers;
    assert.ok(worker);
    assert.deepEqual(worker.args.slice(0, 3), ["run", "--env", "external"]);
    assert.equal(worker.args[worker.args.indexOf("--run-id") + 1], "worker-$(JOB_COMPLETION_INDEX)");
    assert.equal(worker.env?.find((e) => e.name === "JOB_COMPLETION_INDEX")?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    assert.ok(worker.envFrom?.some((e) => e.secretRef), "endpoints and credentials from a Secret");
    assert.ok(!(worker.env ?? []).some((e) => /BROKERS|REDIS_URL|ENDPOINT|SECRET|PASSWORD/.test(e.name) && e.value), "no endpoint or credential written into the manifest");
    const claim = job.spec.template.spec.volumes.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
    assert.ok(docs.some((d) => d.kind === "PersistentVolumeClaim" && d.metadata.name === claim));

    // The flags are ones `eventbench run` accepts.
    const help = await runCli(["run", "--help"]);
    for (const flag of worker.args.filter((a) => a.startsWith("--"))) assert.ok(help.stdout.includes(flag), `eventbench run has no ${flag}`);
  });

  it("merge the workers' folders from the same volume with eventbench merge", async () => {
    const [merge] = await load("eventbench-merge.yaml");
    assert.ok(merge);
    const [container] = merge.spec.template.spec.containers;
    assert.match(container?.args.join(" ") ?? "", /eventbench merge \/results\/worker-\* --out \/results --run-id merged/);
    const help = await runCli(["merge", "--help"]);
    assert.match(help.stdout, /--run-id/);
    assert.equal(merge.spec.template.spec.volumes[0]?.persistentVolumeClaim?.claimName, "eventbench-results");
  });
});
