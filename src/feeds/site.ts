/** What every serializer needs to know about the site, beside the feed itself. */
export interface SiteInfo {
  title: string;
  siteUrl: string;
  language: string;
}
