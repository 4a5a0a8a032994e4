import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kratixPlugin from '@kratix-backstage/plugin-kratix/alpha';
import { navModule } from './modules/nav';

export default createApp({
  features: [catalogPlugin, kratixPlugin, navModule],
});
