import type { SystemDefinition } from "../contract/service.js";

/** RabbitMQ: quorum queues over AMQP 0.9.1; the broker is Debian's rabbitmq-server run as eventbench's own node, the rabbitmq image, or RABBITMQ_URL. */
export const rabbitmqSystem: SystemDefinition = {
  adapters: { "rabbitmq-quorum": async () => (await import("./rabbitmq-quorum-adapter.js")).rabbitmqQuorumAdapterFactory },
  service: {
    name: "rabbitmq",
    externalVariable: "RABBITMQ_URL",
    native: {
      unavailableReason: async () => (await import("./rabbitmq-native-server.js")).rabbitmqUnavailableReason(),
      start: async (options) => (await import("./rabbitmq-native-server.js")).startNativeRabbitmq(options),
      prepare: async () => {
        const server = await import("./rabbitmq-native-server.js");
        const reason = await server.rabbitmqUnavailableReason();
        return reason ?? `rabbitmq-server ${await server.rabbitmqServerVersion()} at ${await server.rabbitmqServerScript()}`;
      },
    },
    container: async (options) => (await import("./rabbitmq-container.js")).startRabbitmqContainer(options),
  },
};
