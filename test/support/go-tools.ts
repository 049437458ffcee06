import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The Go-built tools (Jaeger: deploy/tools; promtool: deploy/tools/promtool), as `deploy/verdict.sh`
 * builds them: once per version into a cache outside the clone,
 * `${VERDICT_TOOLS_CACHE:-$HOME/.cache/verdict/tools}/<tool>-<version>/<tool>`. verdict.sh exports
 * the paths it built or found (VERDICT_JAEGER_BIN, VERDICT_PROMTOOL_BIN) before jest; a developer
 * running jest directly gets the same binaries from the cache, at the versions the go.mod files pin
 * now (so an older build left in the cache is never picked up by mistake).
 */
export type GoTool = 'jaeger' | 'promtool';

const TOOLS_DIR = join(__dirname, '..', '..', 'deploy', 'tools');

const TOOLS: Record<GoTool, { goMod: string; module: string; env: string }> = {
  jaeger: { goMod: join(TOOLS_DIR, 'go.mod'), module: 'github.com/jaegertracing/jaeger', env: 'VERDICT_JAEGER_BIN' },
  promtool: { goMod: join(TOOLS_DIR, 'promtool', 'go.mod'), module: 'github.com/prometheus/prometheus', env: 'VERDICT_PROMTOOL_BIN' },
};

/** The version of the tool's module that its go.mod requires. */
export function goToolVersion(tool: GoTool): string {
  const { goMod, module } = TOOLS[tool];
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(readFileSync(goMod, 'utf8'));
  if (!match) throw new Error(`${goMod} does not require ${module}`);
  return match[1];
}

export function goToolsCache(): string {
  return process.env.VERDICT_TOOLS_CACHE || join(homedir(), '.cache', 'verdict', 'tools');
}

/** The tool's binary: its VERDICT_*_BIN if set, else the cache's build of the pinned version; throws saying how to get it. */
export function goToolPath(tool: GoTool): string {
  const { env } = TOOLS[tool];
  const given = process.env[env];
  if (given) {
    if (!existsSync(given)) throw new Error(`${env}=${given} does not exist`);
    return given;
  }
  const version = goToolVersion(tool);
  const cached = join(goToolsCache(), `${tool}-${version}`, tool);
  if (!existsSync(cached)) {
    throw new Error(`${tool} ${version} is not built: ${cached} is missing and ${env} is not set. ` + `Run bash deploy/verdict.sh setup (it builds ${tool} with Go), or point ${env} at a ${tool} binary.`);
  }
  return cached;
}
