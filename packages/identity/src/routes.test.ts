import { describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS, routeResource, routesFor } from './routes.js';

describe('the route-permission table', () => {
  it('lets a TenantUser do everything on the app API except deleting', () => {
    const all = Object.keys(ROUTE_PERMISSIONS.app);
    expect(routesFor('app', 'TenantUser')).toEqual(all.filter((route) => !route.startsWith('DELETE ')));
    expect(routesFor('app', 'TenantAdmin')).toEqual(all);
  });

  it('keeps SystemAdmins off the app API and tenant users off tenant lifecycle routes', () => {
    expect(routesFor('app', 'SystemAdmin')).toEqual([]);
    expect(routesFor('controlPlane', 'TenantAdmin')).not.toContain('POST /tenants/{tenantId}/deactivate');
    expect(routesFor('controlPlane', 'TenantAdmin')).not.toContain('GET /tenants');
    expect(routesFor('controlPlane', 'TenantUser')).toEqual(['GET /users/{userId}']);
  });

  it('gives an unknown role nothing', () => {
    expect(routesFor('controlPlane', 'Root')).toEqual([]);
    expect(routesFor('app', '')).toEqual([]);
  });

  it('turns path parameters into wildcards', () => {
    expect(routeResource('GET /tenants/{tenantId}/usage')).toBe('GET/tenants/*/usage');
    expect(routeResource('GET /tenants')).toBe('GET/tenants');
  });
});
