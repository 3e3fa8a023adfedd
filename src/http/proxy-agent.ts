// https-proxy-agent (CommonJS) as an ES module: the transport loads this file with import() only when a proxy is set
// (a CommonJS library imported so from the bundle gives only `default`).
export {HttpsProxyAgent} from 'https-proxy-agent'
