import { getAuth } from '@neurosphere/auth';
import { personalityScales } from '@neurosphere/contracts';
import { eraseCaller } from '../domain/callers/erase-caller';
import { getPersonality } from '../domain/personality/get-personality';
import { getProfile } from '../domain/profiles/get-profile';
import { listSummaries } from '../domain/summaries/list-summaries';
import type { MemoryApiHandlers, RouteDeps } from './route-deps';

/** One caller of one tenant: summaries, profile, personality, and erasure. */
export function callerRoutes({ db, queue }: RouteDeps): Pick<MemoryApiHandlers, 'summaries' | 'profile' | 'personality' | 'eraseCaller'> {
  return {
    summaries: async ({ params, query, res }) => {
      const customerId = getAuth(res).customerId;
      const summaries = await listSummaries({ db, customerId, userId: params.user_id, limit: query.limit });
      return { status: 200, body: { success: true, customer_id: customerId, user_id: params.user_id, summaries } };
    },
    profile: async ({ params, res }) => {
      const customerId = getAuth(res).customerId;
      const profile = await getProfile({ db, customerId, userId: params.user_id });
      return { status: 200, body: { success: true, customer_id: customerId, user_id: params.user_id, profile } };
    },
    personality: async ({ params, query, res }) => {
      const customerId = getAuth(res).customerId;
      const personality = await getPersonality({ db, customerId, userId: params.user_id, limit: query.limit });
      return {
        status: 200,
        body: {
          success: true,
          customer_id: customerId,
          user_id: params.user_id,
          scales: personalityScales,
          averages: personality.averages,
          sample_count: personality.sampleCount,
          recent: personality.recent,
        },
      };
    },
    eraseCaller: async ({ params, res }) => {
      const auth = getAuth(res);
      const result = await eraseCaller({
        db,
        queue,
        customerId: auth.customerId,
        userId: params.user_id,
        actor: `service:${auth.issuer}`,
      });
      return {
        status: 200,
        body: {
          success: true,
          customer_id: auth.customerId,
          user_id: params.user_id,
          deleted: result.deleted,
          jobs_removed: result.jobsRemoved,
        },
      };
    },
  };
}
