import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '@verdict/redis';
import { QueueConnectionsHealthIndicator } from './queue-connections.health';
import { RedisHealthIndicator } from './redis.health';

/**
 * Terminus (`HealthCheckService`) and this project's health indicators, for an app's probe
 * controller. Needs `HealthConfig` and `RedisConfig` from the app's ConfigModule.
 */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), DiscoveryModule, RedisModule],
  providers: [RedisHealthIndicator, QueueConnectionsHealthIndicator],
  exports: [TerminusModule, RedisHealthIndicator, QueueConnectionsHealthIndicator],
})
export class HealthModule {}
