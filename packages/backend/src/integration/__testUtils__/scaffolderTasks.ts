/*
 * Runs a scaffolder task over HTTP as a signed-in user and follows it with the scaffolder's own
 * long-polling events route (each request returns when the task logs something): no sleeps.
 */
import request from 'supertest';
import type { KratixTestBackend } from './testBackend';

export interface TaskRun {
  id: string;
  status: string;
  /** The task's output (links, text, …) once it completed. */
  output: Record<string, any>;
  logs: string[];
}

export async function runScaffolderTask(
  server: KratixTestBackend['server'],
  authorization: string,
  body: { templateRef: string; values: Record<string, unknown> },
): Promise<TaskRun> {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', authorization)
    .send(body);
  if (created.status !== 201) {
    throw new Error(
      `Task not created: ${created.status} ${JSON.stringify(created.body)}`,
    );
  }
  const id: string = created.body.id;
  const logs: string[] = [];
  let after: number | undefined;
  for (;;) {
    const res = await request(server)
      .get(`/api/scaffolder/v2/tasks/${id}/events`)
      .query(after === undefined ? {} : { after })
      .set('Authorization', authorization);
    for (const event of res.body as Array<{
      id: number;
      type: string;
      body: { message?: string; status?: string; output?: Record<string, any> };
    }>) {
      after = event.id;
      if (event.type === 'log' && event.body.message) {
        logs.push(event.body.message);
      }
      if (event.type === 'completion') {
        const task = await request(server)
          .get(`/api/scaffolder/v2/tasks/${id}`)
          .set('Authorization', authorization);
        return {
          id,
          status: task.body.status,
          output: event.body.output ?? {},
          logs,
        };
      }
    }
  }
}
