/**
 * Who may call what: the one route-permission table of Tenantry (contract §4 and §5). The
 * authorizer turns it into the caller's policy, so API Gateway itself refuses (403) a method the
 * caller's role may not call, before any function runs. Routes the table does not name are not
 * covered by any policy; public routes (registrations, tenant config) have no authorizer at all.
 *
 * Finer rules (a TenantAdmin only for their own tenant, a TenantUser only reading himself) are
 * checked by the services; this table is the coarse, role-level gate.
 */
import type { Role } from '@tenantry/tenant-middleware';

/** The two kinds of API the authorizer protects (a platinum tenant's silo API is an `app` API). */
export type ApiKind = 'controlPlane' | 'app';

/** A route as `METHOD /path`, path parameters in braces (`GET /tenants/{tenantId}`). */
export type Route = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /${string}`;

const EVERYONE: readonly Role[] = ['SystemAdmin', 'TenantAdmin', 'TenantUser'];
const ADMINS: readonly Role[] = ['SystemAdmin', 'TenantAdmin'];
const SYSTEM_ADMIN: readonly Role[] = ['SystemAdmin'];
const TENANT_USERS: readonly Role[] = ['TenantAdmin', 'TenantUser'];
const TENANT_ADMIN: readonly Role[] = ['TenantAdmin'];

/**
 * Route → roles allowed to call it, per API.
 *
 * @example
 * ```ts
 * ROUTE_PERMISSIONS.app['DELETE /orders/{orderId}']; // ['TenantAdmin']
 * ```
 */
export const ROUTE_PERMISSIONS: Readonly<Record<ApiKind, Readonly<Record<Route, readonly Role[]>>>> = {
  controlPlane: {
    'GET /tenants': SYSTEM_ADMIN,
    'GET /tenants/{tenantId}': ADMINS,
    'PATCH /tenants/{tenantId}': ADMINS,
    'DELETE /tenants/{tenantId}': SYSTEM_ADMIN,
    'POST /tenants/{tenantId}/deactivate': SYSTEM_ADMIN,
    'POST /tenants/{tenantId}/activate': SYSTEM_ADMIN,
    'GET /tenants/{tenantId}/usage': ADMINS,
    'POST /users': ADMINS,
    'GET /users': ADMINS,
    // A TenantUser may read himself; the service refuses anyone else.
    'GET /users/{userId}': EVERYONE,
    'PATCH /users/{userId}': ADMINS,
    'DELETE /users/{userId}': ADMINS,
    'POST /users/{userId}/disable': ADMINS,
    'POST /users/{userId}/enable': ADMINS,
  },
  app: {
    'GET /products': TENANT_USERS,
    'POST /products': TENANT_USERS,
    'GET /products/{productId}': TENANT_USERS,
    'PUT /products/{productId}': TENANT_USERS,
    'DELETE /products/{productId}': TENANT_ADMIN,
    'GET /orders': TENANT_USERS,
    'POST /orders': TENANT_USERS,
    'GET /orders/{orderId}': TENANT_USERS,
    'PUT /orders/{orderId}': TENANT_USERS,
    'DELETE /orders/{orderId}': TENANT_ADMIN,
  },
};

/** The routes of `api` that `role` may call, in table order. */
export function routesFor(api: ApiKind, role: string): Route[] {
  return (Object.entries(ROUTE_PERMISSIONS[api]) as [Route, readonly Role[]][])
    .filter(([, roles]) => (roles as readonly string[]).includes(role))
    .map(([route]) => route);
}

/**
 * The `{METHOD}/{path}` tail of a method ARN covering `route`: each path parameter becomes `*`.
 *
 * @example
 * ```ts
 * routeResource('GET /tenants/{tenantId}/usage'); // 'GET/tenants/*\/usage'
 * ```
 */
export function routeResource(route: Route): string {
  const [method, path] = route.split(' ') as [string, string];
  return `${method}/${path.slice(1).replace(/\{[^}]+\}/g, '*')}`;
}
