import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The Go-built tools (Jaeger: deploy/tools; promtool: deploy/tools/promtool), as `deploy/verdict.sh`
 * builds them. It exports the paths it built or found (VERDICT_JAEGER_BIN, VERDICT_PROMTOOL_BIN)
 * before jest; a developer running jest directly gets the same binaries through its `tool-path`
 * command, the one place that knows where the pinned version lives.
 */
export type GoTool = 'jaeger' | 'promtool';

const VERDICT_SH = join(__dirname, '..', '..', 'deploy', 'verdict.sh');

/** The tool's binary; throws with verdict.sh's reason (how to build it, or what to set) when there is none. */
export function goToolPath(tool: GoTool): string {
  try {
    return execFileSync('bash', [VERDICT_SH, 'tool-path', tool], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new Error(stderr.replace(/^\[verdict\] ERROR: /, '') || `bash ${VERDICT_SH} tool-path ${tool} failed: ${(error as Error).message}`);
  }
}
