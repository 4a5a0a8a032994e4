/*
 * The example templates through the real scaffolder backend: a signed-in user starts a task
 * (POST /api/scaffolder/v2/tasks), kratix:resource:create requests the Resource as that user for
 * their entity, the sandbox runs the tutorial's pipeline, and the task's output carries the status.
 */
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderModuleKratix from '@kratix-backstage/plugin-scaffolder-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import path from 'node:path';
import request from 'supertest';
import { runScaffolderTask } from './__testUtils__/scaffolderTasks';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const templates = path.resolve(__dirname, '../../../../examples/templates');
const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };

describe('Kratix templates through the scaffolder', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 50 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: [
        scaffolderBackend,
        scaffolderEntityModel,
        scaffolderModuleKratix,
      ],
      extraLocations: [
        path.join(templates, 'elastic-cloud.yaml'),
        path.join(templates, 'redis.yaml'),
      ],
      extraConfig: { kratix: { platformTeam: 'group:default/team-platform' } },
    });
    const guest = await backend.auth('guest');
    await eventually(async () => {
      const res = await request(backend.server)
        .get(
          '/api/scaffolder/v2/templates/default/template/kratix-elastic-cloud/parameter-schema',
        )
        .set('Authorization', guest);
      return res.status === 200 ? true : undefined;
    }, 'the catalog to ingest the templates');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  it('runs "Request an Elastic Cloud instance" as the user and shows what the workflow wrote', async () => {
    const run = await runScaffolderTask(
      backend.server,
      await backend.auth('guest'),
      {
        templateRef: 'template:default/kratix-elastic-cloud',
        values: {
          entity: 'component:default/search-service',
          name: 'search-analytics',
          enableDataCollection: true,
        },
      },
    );
    expect(run.status).toBe('completed');
    const [status] = run.output.text;
    expect(status.content).toContain(
      'Instance search-analytics provisioned with preconfigured system metrics',
    );
    expect(status.content).toContain('Login user: `elastic`');
    expect(status.content).toContain(
      'Password secret: `search-analytics-es-elastic-user`',
    );
    expect(run.output.links).toEqual([
      {
        title: "Open the entity's Kratix tab",
        // The tab with the new Resource open (kratix-common's one link format).
        url: 'http://localhost:3000/catalog/default/component/search-service/kratix?resource=sandbox%2Fdefault%2Felastic-cloud%2Fsearch-analytics',
      },
    ]);
    expect(run.logs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Created elastic-cloud elastic-cloud default\/search-analytics on cluster sandbox for component:default\/search-service/,
        ),
        expect.stringMatching(
          /Condition PipelineCompleted=True \(PipelineExecutedSuccessfully\)/,
        ),
      ]),
    );
    const stored = sandbox.store.get(ELASTIC, 'default', 'search-analytics');
    expect(stored?.spec).toEqual({ enableDataCollection: true });
    expect(stored?.metadata.annotations).toMatchObject({
      'kratix.backstage.io/requested-by': 'user:default/guest',
      'kratix.backstage.io/entity-ref': 'component:default/search-service',
    });
  });

  it('fails the task, naming the reason, for an entity the user does not own, and creates nothing', async () => {
    const run = await runScaffolderTask(
      backend.server,
      await backend.auth('guest'),
      {
        templateRef: 'template:default/kratix-redis',
        values: {
          entity: 'component:default/ci-platform',
          name: 'not-mine',
          size: 'small',
        },
      },
    );
    expect(run.status).toBe('failed');
    expect(run.logs.join('\n')).toContain(
      'You may not create Kratix Resources for component:default/ci-platform',
    );
    expect(
      sandbox.store.get(
        { group: 'marketplace.kratix.io', plural: 'redis' },
        'default',
        'not-mine',
      ),
    ).toBeUndefined();
  });
});
