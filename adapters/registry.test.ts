import assert from "node:assert/strict";
import { it } from "node:test";
import { adapterNames, loadAdapterFactory, serviceDefinition, serviceDefinitions, serviceNames } from "./registry.js";

it("every adapter needs a service the registry defines, or none", async () => {
  for (const name of adapterNames()) {
    const factory = await loadAdapterFactory(name);
    assert.equal(factory.name, name, `adapter ${name} is registered under another name than its factory's`);
    if (factory.service !== "none") assert.ok(serviceNames().includes(factory.service), `adapter ${name} needs service ${factory.service}, which no system defines`);
  }
});

it("service names are unique and usable as --services and services.<name>", () => {
  const names = serviceNames();
  assert.equal(new Set(names).size, names.length, `a service is defined twice: ${names.join(", ")}`);
  for (const name of names) assert.match(name, /^[a-z0-9][a-z0-9-]*$/);
  assert.notEqual(names.includes("none"), true, "none is what an in-process adapter needs");
});

it("a service's settings schema is strict, so a misspelt server setting is refused", () => {
  for (const service of serviceDefinitions()) {
    if (!service.settings) continue;
    assert.equal(service.settings.safeParse({ surelyNotASetting: 1 }).success, false, `services.${service.name} accepts unknown fields`);
  }
});

it("an unknown service is refused with the known ones named", () => {
  assert.throws(() => serviceDefinition("nope"), new RegExp(`unknown service "nope"; known services: ${serviceNames().join(", ")}`));
});
