/**
 * The login module line of `sasl.jaas.config`, as Kafka's JaasConfig reads it:
 * `<module class> <flag> key="value" … ;` with values in double or single quotes or bare words.
 * One module only, as a client takes.
 */
export interface JaasLogin {
  readonly loginModule: string;
  readonly options: ReadonlyMap<string, string>;
}

type Token = { readonly kind: "word" | "quoted" | "=" | ";"; readonly text: string };

/** Throws an Error saying what was expected; never quotes a value (they hold passwords). */
export function parseJaasLogin(text: string): JaasLogin {
  const tokens = tokenize(text);
  const word = (i: number, what: string): string => {
    const t = tokens[i];
    if (t?.kind !== "word") throw new Error(`expected ${what}`);
    return t.text;
  };
  const loginModule = word(0, "a login module class first (org.apache.kafka.common.security.plain.PlainLoginModule …)");
  const flag = word(1, "a control flag after the login module (required)");
  if (!["required", "requisite", "sufficient", "optional"].includes(flag)) throw new Error(`expected the control flag required after the login module, got ${JSON.stringify(flag)}`);
  const options = new Map<string, string>();
  let i = 2;
  while (tokens[i]?.kind === "word") {
    const key = tokens[i]?.text as string;
    if (tokens[i + 1]?.kind !== "=") throw new Error(`expected = after option ${key}`);
    const value = tokens[i + 2];
    if (value?.kind !== "word" && value?.kind !== "quoted") throw new Error(`expected a value after ${key}=`);
    options.set(key, value.text);
    i += 3;
  }
  if (tokens[i]?.kind !== ";") throw new Error("expected key=\"value\" options ending with ;");
  if (i + 1 < tokens.length) throw new Error("expected one login module (a client takes one), found more after ;");
  return { loginModule, options };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === "=" || c === ";") {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '"' || c === "'") {
      let value = "";
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) value += text[j] === "\\" ? (text[++j] ?? "") : text[j];
      if (j >= text.length) throw new Error("expected a closing quote");
      tokens.push({ kind: "quoted", text: value });
      i = j + 1;
    } else {
      const m = /^[^\s=;"']+/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "word", text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}
