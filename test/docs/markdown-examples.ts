/**
 * The fenced code blocks of a Markdown file, with the run markers written before or after them
 * (the convention is described at the top of readme-examples.test.ts).
 */
export type ExampleKind = 'shell' | 'node' | 'json' | 'text';

export interface Example {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  kind: ExampleKind | undefined;
  code: string;
  /** Why it is not run (`<!-- not-run: reason -->`), when it is not. */
  notRun?: string;
  /** Hidden shell run before the block (`<!-- example-setup: ... -->`), in order. */
  setup: string[];
  /** Hidden shell that must pass after the block (`<!-- example-check: ... -->`). */
  check?: string;
}

const kinds: Record<string, ExampleKind> = {
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  ts: 'node',
  typescript: 'node',
  js: 'node',
  javascript: 'node',
  mjs: 'node',
  json: 'json',
  // Not code: directory trees, diagrams, sample output.
  '': 'text',
  text: 'text',
};

const marker = /^<!--\s*(not-run|example-setup|example-check):([\s\S]*?)-->$/;

export function extractExamples(markdown: string, file: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  // Markers met since the last paragraph: they belong to the next block (or, for a check, the last).
  let pending: { notRun?: string; setup: string[] } = { setup: [] };
  let previous: Example | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('<!--')) {
      // A marker may span lines: read to its end.
      let text = line.trim();
      while (!text.endsWith('-->') && i + 1 < lines.length) text += `\n${lines[++i]}`;
      const match = marker.exec(text);
      if (!match) continue; // another comment
      const [, name, body] = match;
      const value = body!.trim();
      if (name === 'example-check') {
        if (!previous) throw new Error(`${file}:${i + 1}: example-check with no code block before it`);
        previous.check = value;
      } else if (name === 'not-run') {
        if (!value) throw new Error(`${file}:${i + 1}: not-run needs a reason`);
        pending.notRun = value;
      } else {
        pending.setup.push(value);
      }
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (!fence) {
      // Prose between a block and a marker: markers after it belong to the next block only.
      previous = undefined;
      if (pending.notRun || pending.setup.length > 0) {
        throw new Error(`${file}:${i + 1}: a run marker must come right before its code block`);
      }
      continue;
    }
    const [, indent, ticks, language] = fence;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !lines[i]!.trimStart().startsWith(ticks!)) {
      body.push(lines[i]!.slice(Math.min(indent!.length, lines[i]!.search(/\S|$/))));
    }
    const example: Example = {
      file,
      line: start + 1,
      language: language!,
      kind: kinds[language!.toLowerCase()],
      code: body.join('\n'),
      setup: pending.setup,
      ...(pending.notRun ? { notRun: pending.notRun } : {}),
    };
    examples.push(example);
    previous = example;
    pending = { setup: [] };
  }
  return examples;
}

/** `<name>` placeholders in shell code (never redirections: those have a space or no closing `>`). */
export const placeholder = /<([A-Za-z][A-Za-z0-9_]*)>/g;
