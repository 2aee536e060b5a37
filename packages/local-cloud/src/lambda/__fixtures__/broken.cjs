'use strict';
throw new Error('init failed while loading the module');
