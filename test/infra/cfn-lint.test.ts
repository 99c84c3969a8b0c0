import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { synthQueueStack } from './synth';

interface LintFinding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Location: { Path: (string | number)[] };
}

const available = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
if (!available)
  console.warn('[cfn-lint] not on PATH: the template lint test is skipped (pip install cfn-lint)');

async function lint(context: Record<string, unknown>): Promise<LintFinding[]> {
  const { stack, template, outdir } = synthQueueStack({ context });
  const file = join(outdir, `${stack.stackName}.lint.template.json`);
  writeFileSync(file, JSON.stringify(template.toJSON(), null, 1));
  // Exit codes are bit flags (2 errors, 4 warnings, 8 informational); anything else is a crash.
  const { stdout } = await promisify(execFile)('cfn-lint', ['--format', 'json', file], {
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
    if (typeof error.code !== 'number' || (error.code & ~(2 | 4 | 8)) !== 0) {
      throw new Error(`cfn-lint failed to run (${error.code}): ${error.stderr}`);
    }
    return { stdout: error.stdout ?? '' };
  });
  return JSON.parse(stdout || '[]') as LintFinding[];
}

describe.skipIf(!available)('cfn-lint on the synthesized template', () => {
  it.each([
    ['default', {}],
    ['sandbox with CORS', { 'queue:sandbox': 'true', 'queue:corsOrigins': 'https://console.example.com' }],
  ])(
    '%s configuration: no errors',
    async (name, context) => {
      const findings = await lint(context);
      const show = (finding: LintFinding) =>
        `${finding.Rule.Id} ${finding.Location.Path.join('/')}: ${finding.Message}`;
      const warnings = findings.filter((finding) => finding.Level !== 'Error');
      if (warnings.length > 0)
        console.log(`[cfn-lint] ${name}: ${warnings.length} non-errors\n${warnings.map(show).join('\n')}`);
      expect(findings.filter((finding) => finding.Level === 'Error').map(show)).toEqual([]);
    },
    180_000,
  );
});
