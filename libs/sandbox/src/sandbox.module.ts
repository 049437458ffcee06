import { Module } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import Docker from 'dockerode';
import { DOCKER, SandboxRunner } from './sandbox-runner';

@Module({
  providers: [
    { provide: DOCKER, inject: [SandboxConfig], useFactory: (config: SandboxConfig) => new Docker({ socketPath: config.DOCKER_SOCKET }) },
    SandboxRunner,
  ],
  exports: [SandboxRunner, DOCKER],
})
export class SandboxModule {}
