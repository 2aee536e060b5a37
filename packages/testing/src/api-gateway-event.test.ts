import { describe, expect, it } from 'vitest';
import { apiGatewayEvent } from './api-gateway-event.js';

describe('apiGatewayEvent', () => {
  it('fills the path from the resource template and path parameters', () => {
    const event = apiGatewayEvent({
      resource: '/products/{productId}',
      pathParameters: { productId: 'p 1' },
    });
    expect(event.path).toBe('/products/p%201');
    expect(event.requestContext.resourcePath).toBe('/products/{productId}');
  });

  it('JSON-encodes an object body and passes a string body as is', () => {
    expect(apiGatewayEvent({ body: { a: 1 } }).body).toBe('{"a":1}');
    expect(apiGatewayEvent({ body: '{oops' }).body).toBe('{oops');
  });

  it('sends the authorizer context, or none for a public route', () => {
    expect(apiGatewayEvent({ authorizer: { tenantId: 't1' } }).requestContext.authorizer).toMatchObject({
      tenantId: 't1',
    });
    expect(apiGatewayEvent({ authorizer: null }).requestContext.authorizer).toBeNull();
  });
});
