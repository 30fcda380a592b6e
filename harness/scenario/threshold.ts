/**
 * k6 threshold expressions: `p(99)<25`, `avg<10`, `max<=100`, `rate<0.01`, `count==0`.
 * Latencies are in milliseconds, as everywhere in results.
 */
export type Aggregation = { kind: "percentile"; percentile: number } | { kind: "avg" | "min" | "max" | "med" | "rate" | "count" | "value" };
export type Comparator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface ThresholdExpression {
  readonly source: string;
  readonly aggregation: Aggregation;
  readonly comparator: Comparator;
  readonly bound: number;
}

const EXPRESSION = /^\s*(p\((\d+(?:\.\d+)?)\)|avg|min|max|med|rate|count|value)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Null when `source` is not a threshold expression. */
export function parseThreshold(source: string): ThresholdExpression | null {
  const m = EXPRESSION.exec(source);
  if (!m) return null;
  const [, agg, percentile, comparator, bound] = m;
  const aggregation: Aggregation =
    percentile !== undefined
      ? { kind: "percentile", percentile: Number(percentile) }
      : { kind: agg as "avg" | "min" | "max" | "med" | "rate" | "count" | "value" };
  if (aggregation.kind === "percentile" && !(aggregation.percentile > 0 && aggregation.percentile <= 100)) return null;
  return { source: source.trim(), aggregation, comparator: comparator as Comparator, bound: Number(bound) };
}

export function compare(value: number, comparator: Comparator, bound: number): boolean {
  switch (comparator) {
    case "<":
      return value < bound;
    case "<=":
      return value <= bound;
    case ">":
      return value > bound;
    case ">=":
      return value >= bound;
    case "==":
      return value === bound;
    case "!=":
      return value !== bound;
  }
}

export function aggregationName(a: Aggregation): string {
  return a.kind === "percentile" ? `p(${a.percentile})` : a.kind;
}
