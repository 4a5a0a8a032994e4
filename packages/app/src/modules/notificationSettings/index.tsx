import { Content } from '@backstage/core-components';
import {
  SubPageBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { UserNotificationSettingsCard } from '@backstage/plugin-notifications';

/**
 * Settings > Notifications: each user turns notifications off per origin (Kratix) and per topic
 * (Resource ready, Resource failed, ...), in the notifications plugin's own settings, as create-app
 * does. The card lists the origins and topics the user has received notifications from.
 */
const notificationSettingsPage = SubPageBlueprint.make({
  name: 'notifications',
  params: {
    path: 'notifications',
    title: 'Notifications',
    loader: async () => (
      <Content>
        <UserNotificationSettingsCard
          originNames={{ 'plugin:kratix': 'Kratix' }}
        />
      </Content>
    ),
  },
});

export const notificationSettingsModule = createFrontendModule({
  pluginId: 'user-settings',
  extensions: [notificationSettingsPage],
});
