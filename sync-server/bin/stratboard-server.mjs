#!/usr/bin/env node
// The `stratboard-server` command: runs sync-server/main.ts through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../main.ts');
