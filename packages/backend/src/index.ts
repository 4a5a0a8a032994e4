import { createAppBackend } from './backend';

createAppBackend().start();
