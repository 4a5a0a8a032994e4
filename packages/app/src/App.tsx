import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import kratixPlugin from '@kratix-backstage/plugin-kratix/alpha';
import { navModule } from './modules/nav';
import { notificationSettingsModule } from './modules/notificationSettings';

export default createApp({
  // Notifications: the /notifications page and its API; the nav module adds the sidebar item with
  // the unread count, and notificationSettings the Settings tab where a user turns them off.
  features: [
    catalogPlugin,
    notificationsPlugin,
    kratixPlugin,
    navModule,
    notificationSettingsModule,
  ],
});
