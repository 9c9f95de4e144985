import type { platformAdminsContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { addPlatformAdmin, listPlatformAdmins, removePlatformAdmin } from '../domain/admin-users/platform-admins';
import { adminActor } from '../domain/shared/actor';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes (metadata.access = platform): who runs the platform, through withPlatform. */
export function platformAdminsRoutes(deps: RouteDeps): ContractImplementation<typeof platformAdminsContract> {
  const { platformDb } = deps;
  return {
    listPlatformAdmins: async ({ res }) => {
      const admins = await listPlatformAdmins({ platformDb, actor: adminActor(adminOf(res).id) });
      return { status: 200, body: { success: true, admins } };
    },
    addPlatformAdmin: async ({ body, res }) => {
      const added = await addPlatformAdmin({ platformDb, actor: adminActor(adminOf(res).id), email: body.email });
      return { status: 201, body: { success: true, admin: added.admin, set_password_token: added.setPasswordToken } };
    },
    removePlatformAdmin: async ({ params, res }) => {
      await removePlatformAdmin({ platformDb, actor: adminActor(adminOf(res).id), adminId: params.adminId });
      return { status: 200, body: { success: true } };
    },
  };
}
