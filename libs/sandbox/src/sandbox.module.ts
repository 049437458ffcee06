import { Module } from '@nestjs/common';
import { SandboxConfig } from '@verdict/config';
import Docker from 'dockerode';
import { CpuCoreLeases } from './cpu-core-leases';
import { RuntimeImagePins } from './runtime-image-pins';
import { SandboxPool } from './sandbox-pool';
import { DOCKER, SandboxLauncher } from './sandbox-launcher';

@Module({
  providers: [
    { provide: DOCKER, inject: [SandboxConfig], useFactory: (config: SandboxConfig) => new Docker({ socketPath: config.DOCKER_SOCKET }) },
    SandboxLauncher,
    SandboxPool,
    CpuCoreLeases,
    RuntimeImagePins,
  ],
  exports: [SandboxLauncher, SandboxPool, RuntimeImagePins, DOCKER],
})
export class SandboxModule {}
