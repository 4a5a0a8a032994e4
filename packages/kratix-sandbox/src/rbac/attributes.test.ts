/* How requests become authorization attributes, as the apiserver's RequestInfoFactory reads them. */
import { requestAttributes } from './attributes';

const user = { username: 'u', groups: ['system:authenticated'] };
const attrs = (method: string, path: string) =>
  requestAttributes(user, method, new URL(path, 'https://sandbox'));

describe('requestAttributes', () => {
  it.each([
    ['GET', '/api/v1/namespaces', 'list', '', 'namespaces', '', '', ''],
    // A Namespace is addressed in itself, as the apiserver reads it.
    [
      'GET',
      '/api/v1/namespaces/default',
      'get',
      '',
      'namespaces',
      '',
      'default',
      'default',
    ],
    [
      'GET',
      '/api/v1/namespaces/default/pods',
      'list',
      '',
      'pods',
      '',
      '',
      'default',
    ],
    [
      'GET',
      '/api/v1/namespaces/default/pods?watch=true',
      'watch',
      '',
      'pods',
      '',
      '',
      'default',
    ],
    [
      'GET',
      '/api/v1/namespaces/default/pods?watch=0',
      'list',
      '',
      'pods',
      '',
      '',
      'default',
    ],
    [
      'GET',
      '/api/v1/namespaces/default/pods/p/log',
      'get',
      '',
      'pods',
      'log',
      'p',
      'default',
    ],
    [
      'PUT',
      '/api/v1/namespaces/default/status',
      'update',
      '',
      'namespaces',
      'status',
      'default',
      'default',
    ],
    [
      'GET',
      '/apis/marketplace.kratix.io/v1alpha1/redis',
      'list',
      'marketplace.kratix.io',
      'redis',
      '',
      '',
      '',
    ],
    [
      'POST',
      '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis',
      'create',
      'marketplace.kratix.io',
      'redis',
      '',
      '',
      'default',
    ],
    [
      'PATCH',
      '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis/c/status',
      'patch',
      'marketplace.kratix.io',
      'redis',
      'status',
      'c',
      'default',
    ],
    [
      'DELETE',
      '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis/c',
      'delete',
      'marketplace.kratix.io',
      'redis',
      '',
      'c',
      'default',
    ],
    [
      'DELETE',
      '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis',
      'deletecollection',
      'marketplace.kratix.io',
      'redis',
      '',
      '',
      'default',
    ],
    [
      'GET',
      '/api/v1/watch/namespaces/default/pods',
      'watch',
      '',
      'pods',
      '',
      '',
      'default',
    ],
    // A list or watch of one object by name is authorized as that name.
    [
      'GET',
      '/apis/batch/v1/namespaces/ns/jobs?watch=1&fieldSelector=metadata.name%3Dj1',
      'watch',
      'batch',
      'jobs',
      '',
      'j1',
      'ns',
    ],
    [
      'GET',
      '/apis/batch/v1/namespaces/ns/jobs?fieldSelector=metadata.name!%3Dj1',
      'list',
      'batch',
      'jobs',
      '',
      '',
      'ns',
    ],
  ])(
    '%s %s is %s on %s %s/%s named %s in %s',
    (method, path, verb, apiGroup, resource, subresource, name, namespace) => {
      expect(attrs(method, path)).toMatchObject({
        resourceRequest: true,
        verb,
        apiGroup,
        resource,
        subresource,
        name,
        namespace,
      });
    },
  );

  it.each([
    ['GET', '/api', 'get'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/apis', 'get'],
    ['GET', '/apis/batch', 'get'],
    ['GET', '/apis/batch/v1', 'get'],
    ['GET', '/openapi/v3/apis/batch/v1', 'get'],
    ['GET', '/version', 'get'],
    ['GET', '/healthz', 'get'],
    ['POST', '/logs', 'post'],
  ])('%s %s is non-resource (%s)', (method, path, verb) => {
    expect(attrs(method, path)).toMatchObject({
      resourceRequest: false,
      verb,
      path: path.split('?')[0],
    });
  });
});
