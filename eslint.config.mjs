import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "db/migrations/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["**/*.mjs"], languageOptions: { globals: { console: "readonly", process: "readonly" } } },
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]",
          message: "No focused or skipped tests.",
        },
      ],
    },
  },
  {
    files: ["lib/membership/**/*.ts"],
    rules: {
      // The domain produces data, the UI its words: lib/membership never imports components/, by "@/" or by a relative path.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "next",
            "next/*",
            "next-auth",
            "next-auth/*",
            "@/app/*",
            "@/components",
            "@/components/*",
            "**/components",
            "**/components/*",
          ],
        },
      ],
    },
  },
);
