export { RequestDetail } from './RequestDetail';
export { RequestLink } from './RequestLink';
export { RequestStateChip } from './RequestStateChip';
export { RequestNotice } from './RequestNotice';
