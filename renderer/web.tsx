// Browser edition entry: the same renderer, served by the sync server.
import './styles';
import { startApp } from './app/start';
import { WebHost } from './host/web-host';

void startApp(new WebHost());
