import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigClass, loadConfig } from './load-config';

export interface ConfigModuleOptions {
  /** The config classes this app needs; each is validated once, at start-up. */
  load: ConfigClass[];
  /** Where variables come from (tests pass their own); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Makes each listed config class injectable by its class. Global, because configuration is read by
 * many modules and there is exactly one source of it per process.
 */
@Module({})
export class ConfigModule {
  static forRoot(options: ConfigModuleOptions): DynamicModule {
    const providers: Provider[] = options.load.map((cls) => ({
      provide: cls,
      useValue: loadConfig(cls, options.env ?? process.env),
    }));
    return { module: ConfigModule, global: true, providers, exports: providers };
  }
}
