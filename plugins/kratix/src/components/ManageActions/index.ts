export { ManageActions } from './ManageActions';
export { ConfirmDialog } from './ConfirmDialog';
export { ResourceManage } from './ResourceManage';
export { deliveryOf } from './delivery';
