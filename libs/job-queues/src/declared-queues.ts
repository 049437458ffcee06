import { JUDGE_QUEUE } from './judge.queue';
import { QueueDeclaration } from './queue-declaration';
import { WEBHOOK_DELIVERY_QUEUE } from './webhook-delivery.queue';

/**
 * Every queue of the system, for what shows or checks them all (the API's queue dashboard). A new
 * declaration belongs here too; a spec holds every declaration this library exports to the list.
 */
export const DECLARED_QUEUES: readonly QueueDeclaration[] = Object.freeze([JUDGE_QUEUE, WEBHOOK_DELIVERY_QUEUE]);
