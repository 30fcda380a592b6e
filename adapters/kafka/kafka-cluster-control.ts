import type { NativeServer } from "../../harness/environment/native/native-server.js";
import { EnvironmentError } from "../../harness/errors/errors.js";
import type { ClusterMembers, ServerControl } from "../contract/service.js";
import { activeController, KAFKA_ROLES, partitionLeader } from "./kafka-cluster-roles.js";
import type { KafkaNode } from "./kafka-native-broker.js";

/**
 * The nodes of a native Kafka cluster as one server for fault injection (pause, kill and restart
 * act on every node at once) and for shutdown, and each node on its own (`members`, kill-broker:
 * a node's number is its node.id).
 */
export class KafkaClusterControl implements ServerControl {
  readonly members: ClusterMembers;
  /** Nodes paused one by one: asked nothing, since a frozen node accepts connections and never answers. */
  private readonly paused = new Set<number>();

  constructor(
    private readonly nodes: readonly KafkaNode[],
    private readonly servers: readonly NativeServer[],
    private readonly ready: () => Promise<boolean>,
    private readonly readyTimeoutMs: number,
  ) {
    this.members = {
      members: this.nodes.map((n) => n.id),
      roles: KAFKA_ROLES,
      holder: async (role, stream) => {
        const running = this.nodes.filter((n, i) => !this.servers[i]?.process.hasExited && !this.paused.has(n.id)).map((n) => n.bootstrap);
        if (running.length === 0) throw new Error("no Kafka node is running");
        if (role === "controller") return activeController(running[0] as string);
        if (role === "leader") return partitionLeader(running, stream);
        throw new Error(`unknown role ${role}; expected ${Object.keys(KAFKA_ROLES).join(", ")}`);
      },
      kill: (member) => this.server(member).kill(),
      restart: (member) => this.server(member).restart(),
      pause: async (member) => {
        await this.server(member).pause();
        this.paused.add(member);
      },
      resume: async (member) => {
        await this.server(member).resume();
        this.paused.delete(member);
      },
    };
  }

  async pause(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.pause()));
  }

  async resume(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.resume()));
  }

  async kill(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.kill()));
  }

  /** All nodes at once: none can register before a quorum of controllers runs. */
  async restart(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.restart()));
    await this.waitUntilReady();
  }

  /** Resolves once the whole cluster answers (see clusterReady); stops it and says why when it does not in time. */
  async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      const exited = this.servers.findIndex((s) => s.process.hasExited);
      if (exited >= 0) {
        await this.stop();
        throw new EnvironmentError(`Kafka node ${this.nodes[exited]?.id} exited during start-up (${this.servers[exited]?.process.describeExit()}); its log is ${this.nodes[exited]?.logFile}`);
      }
      try {
        if (await this.ready()) return;
      } catch (error) {
        lastError = error;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.stop();
    const reason = lastError instanceof Error ? ` (last probe error: ${lastError.message})` : "";
    throw new EnvironmentError(
      `the Kafka cluster of ${this.nodes.length} nodes did not become ready within ${this.readyTimeoutMs} ms${reason}; its logs are ${this.nodes.map((n) => n.logFile).join(", ")}`,
    );
  }

  private server(member: number): NativeServer {
    const server = this.servers[this.nodes.findIndex((n) => n.id === member)];
    if (!server) throw new Error(`no Kafka node ${member}; expected ${this.nodes.map((n) => n.id).join(", ")}`);
    return server;
  }

  /** Every node at once: one stopped after another would wait for a controller quorum that is leaving. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
  }
}
