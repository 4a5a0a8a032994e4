import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import {
  KratixNamespaceProcessor,
  kratixNamespaceParser,
} from './providerNamespace';

const file = { type: 'file', target: '/home/mallory/catalog-info.yaml' };
const squat = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'example-jenkins', namespace: 'kratix' },
  spec: { type: 'kratix-resource', owner: 'team-search' },
};
const own = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'my-service' },
  spec: { type: 'service', owner: 'team-search', lifecycle: 'production' },
};

async function parse(docs: object[]): Promise<CatalogProcessorResult[]> {
  const data = Buffer.from(docs.map(d => JSON.stringify(d)).join('\n---\n'));
  const results: CatalogProcessorResult[] = [];
  for await (const r of kratixNamespaceParser('kratix')({
    data,
    location: file,
  })) {
    results.push(r);
  }
  return results;
}

describe('the provider namespace guards', () => {
  it('drops an entity in the provider namespace from a file, with an error, and keeps the rest', async () => {
    const results = await parse([squat, own]);
    expect(results.map(r => r.type)).toEqual(['error', 'entity']);
    expect(results[0]).toMatchObject({
      error: {
        name: 'InputError',
        message: expect.stringContaining(
          'Resource:kratix/example-jenkins at file:/home/mallory/catalog-info.yaml is refused',
        ),
      },
    });
    expect(results[1]).toMatchObject({ entity: own });
  });

  it('refuses to process such an entity unless the Kratix provider wrote it', async () => {
    const processor = new KratixNamespaceProcessor('kratix');
    await expect(processor.preProcessEntity(squat, file)).rejects.toThrow(
      /reserved for the Kratix entity provider/,
    );
    await expect(
      processor.preProcessEntity(
        { ...squat, metadata: { ...squat.metadata, namespace: 'KRATIX' } },
        { type: 'url', target: 'https://example.com/x.yaml' },
      ),
    ).rejects.toThrow(/refused/);
    await expect(
      processor.preProcessEntity(squat, {
        type: 'kratix-platform',
        target: 'sandbox',
      }),
    ).resolves.toBe(squat);
    await expect(processor.preProcessEntity(own, file)).resolves.toBe(own);
  });
});
