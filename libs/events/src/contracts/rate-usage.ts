import { z } from 'zod';

/**
 * The gateways' rate-limit usage on `TOPICS.rateUsage`, an internal topic between the gateway's
 * replicas (left out of the published catalogue). The sending gateway builds every message
 * through this schema's type and the receiving ones parse it with the same schema.
 */

/** The rate-limit budgets, by the name the messages give them. */
export const RATE_USAGE_BUDGETS = ['caller', 'tenant', 'strict-caller', 'strict-tenant'] as const;
export type RateUsageBudget = (typeof RATE_USAGE_BUDGETS)[number];

/** Points taken from one key of one budget: `[budget, key, points]`. */
export const RateUsageEntrySchema = z.tuple([z.enum(RATE_USAGE_BUDGETS), z.string().min(1).max(512), z.int().min(1)]);
export type RateUsageEntry = z.output<typeof RateUsageEntrySchema>;

export const RateUsageMessageSchema = z.object({
  /** The sending gateway, unique among the replicas and per process (a restarted gateway is a new one). */
  gateway: z.string().min(1).max(256),
  /**
   * 1, 2, 3, … per message of that gateway, in the order it sends them (one partition per
   * gateway: the gateway id is the message key). A receiver applies each sequence number of a
   * gateway once and ignores what is not above the last one it applied (a redelivered message).
   */
  seq: z.int().min(1),
  /** The gateway's usage since its previous message. */
  usage: z.array(RateUsageEntrySchema),
});
export type RateUsageMessage = z.output<typeof RateUsageMessageSchema>;
