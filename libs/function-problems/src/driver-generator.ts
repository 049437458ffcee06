import { ParsedSignature } from './value-type';

/** File contents by role (`solution`, `driver`, ...), as a generator produces them. */
export type DriverFiles = Record<string, string>;

/**
 * Generates the program around a user's function for one language family: the driver that reads
 * the argument list (JSON) from stdin, calls the function and prints the result as JSON on the
 * original stdout, plus whatever prelude the language needs; and the starter code a user begins
 * from. Which file each role is written to, and how it is compiled and run, is data
 * (function-languages.json), so one generator serves several language ids (e.g. two C++ standards).
 */
export interface DriverGenerator {
  /** The roles of the files this driver writes; a language entry must name a path for each. */
  readonly fileRoles: readonly string[];
  /**
   * The files to write. `paths` holds the path of every role, so files can refer to each other.
   * User code keeps its own lines: it is written to a file of its own, or first in its file.
   */
  files(signature: ParsedSignature, userSource: string, paths: Readonly<Record<string, string>>): DriverFiles;
  /** Code with the function's signature and an empty body, in the language's usual conventions. */
  starterCode(signature: ParsedSignature): string;
}

/** The name drivers print before their own diagnostics, so they cannot be mistaken for the user's. */
export const DRIVER_DIAGNOSTIC_PREFIX = 'verdict-driver:';
