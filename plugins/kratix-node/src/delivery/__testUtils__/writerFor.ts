/* A GitRequestWriter as production makes one: from an `integrations` config, with a mock logger. */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader, type JsonObject } from '@backstage/config';
import { GitRequestWriter } from '../GitRequestWriter';

export function writerFor(integrations: JsonObject) {
  const logger = mockServices.logger.mock();
  return {
    writer: GitRequestWriter.fromConfig(new ConfigReader({ integrations }), {
      logger,
    }),
    logger,
  };
}
