import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "results/", "**/*.cpuprofile"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Runs in the browser, inside report.html, after the inlined uPlot.
    files: ["report/browser/**/*.js"],
    languageOptions: { sourceType: "script", globals: { document: "readonly", window: "readonly", uPlot: "readonly", console: "readonly" } },
  },
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
);
