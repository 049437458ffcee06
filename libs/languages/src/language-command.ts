import { LanguageCommand } from './language-definition';

/**
 * Values a language's commands may refer to as `{name}`, so a runtime that sizes itself can be told
 * the run's limit (the JVM's -Xmx{memoryMb}m, Node's --max-old-space-size={memoryMb}).
 */
export interface CommandContext {
  memoryMb: number;
}

export const COMMAND_PLACEHOLDERS: readonly (keyof CommandContext)[] = ['memoryMb'];
const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** Placeholders a command uses that are not known (the catalog refuses those at load). */
export function unknownPlaceholders(command: LanguageCommand): string[] {
  const texts = [...command.command, ...Object.values(command.env ?? {})];
  const names = texts.flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]));
  return [...new Set(names.filter((name) => !(COMMAND_PLACEHOLDERS as string[]).includes(name)))];
}

export function expandCommand(command: LanguageCommand, context: CommandContext): LanguageCommand {
  const expand = (text: string) => text.replace(PLACEHOLDER, (whole, name: string) => (name in context ? String(context[name as keyof CommandContext]) : whole));
  return {
    command: command.command.map(expand),
    env: command.env && Object.fromEntries(Object.entries(command.env).map(([key, value]) => [key, expand(value)])),
  };
}
