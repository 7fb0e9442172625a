//! The director's command table and how it resolves a typed command word.
//!
//! A Bareos director (`core/src/dird/ua_cmds.cc`, `Do_a_command`) runs the *first* command
//! of its table, in table order, that the typed word is a case-insensitive prefix of: `q`
//! is `quit`, `.ap` is `.api`, `st` is `status`. The session machine, the console, the
//! REST gateway and the test director all resolve words here, so they agree with the
//! director and with each other.

use crate::command::command_word;

/// One director command: its name, and its description and arguments as `.help` reports
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectorCommand {
    /// The full command name (`status`, `.api`).
    pub name: &'static str,
    /// The one-line description.
    pub description: &'static str,
    /// The argument summary (may be empty).
    pub arguments: &'static str,
}

impl DirectorCommand {
    /// Whether a typed word stands for this command: a non-empty, case-insensitive prefix
    /// of its name.
    #[inline]
    pub fn is_typed_as(&self, word: &str) -> bool {
        !word.is_empty()
            && self.name.len() >= word.len()
            && self.name.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
    }

    /// Whether the command ends the session (`quit`, `exit`, `.quit`).
    pub fn ends_session(&self) -> bool {
        matches!(self.name, "quit" | "exit" | ".quit")
    }

    /// Whether the command changes the state of the console session itself: ends it,
    /// switches its output mode or message display, automatic mounting after `label`, or
    /// the catalog in use.
    pub fn changes_session(&self) -> bool {
        self.ends_session()
            || matches!(
                self.name,
                ".api" | "gui" | "autodisplay" | "automount" | "use"
            )
    }
}

const fn cmd(
    name: &'static str,
    description: &'static str,
    arguments: &'static str,
) -> DirectorCommand {
    DirectorCommand {
        name,
        description,
        arguments,
    }
}

/// The command table of a Bareos 26 director, in the order it matches typed words.
#[rustfmt::skip]
pub const DIRECTOR_COMMANDS: &[DirectorCommand] = &[
    cmd(".", "no op", ""),
    cmd(".actiononpurge", "List possible actions on purge", ""),
    cmd(".api", "Switch between different api modes", "[ 0 | 1 | 2 | off | on | json ] [compact=<yes|no>]"),
    cmd(".authorized", "Check for authorization", "job=<job-name> | client=<client-name> | storage=<storage-name> | schedule=<schedule-name> | pool=<pool-name> | cmd=<command> | fileset=<fileset-name> | catalog=<catalog>"),
    cmd(".catalogs", "List all catalog resources", ""),
    cmd(".clients", "List all client resources", "[enabled | disabled]"),
    cmd(".consoles", "List all console resources", ""),
    cmd(".users", "List all user resources", ""),
    cmd(".defaults", "Get default settings", "job=<job-name> | client=<client-name> | storage=<storage-name> | pool=<pool-name>"),
    cmd(".filesets", "List all filesets", ""),
    cmd(".help", "Print parsable information about a command", "[ all ] [ item=cmd ] [ full ]"),
    cmd(".jobdefs", "List all job defaults resources", ""),
    cmd(".jobs", "List all job resources", "[type=<jobtype>] | [enabled | disabled]"),
    cmd(".jobstatus", "List jobstatus information", "[ =<jobstatus> ]"),
    cmd(".levels", "List all backup levels", ""),
    cmd(".locations", "", ""),
    cmd(".messages", "Display pending messages", ""),
    cmd(".media", "List all medias", ""),
    cmd(".mediatypes", "List all media types", ""),
    cmd(".msgs", "List all message resources", ""),
    cmd(".pools", "List all pool resources", "type=<pooltype>"),
    cmd(".profiles", "List all profile resources", ""),
    cmd(".quit", "Close connection", ""),
    cmd(".sql", "Send an arbitrary SQL command", "query=<sqlquery>"),
    cmd(".schedule", "List all schedule resources", "[enabled | disabled]"),
    cmd(".status", "Report status", "dir ( current | last | header | scheduled | running | terminated ) | storage=<storage> [ header | waitreservation | devices | volumes | spooling | running | terminated ] | client=<client> [ header | terminated | running ]"),
    cmd(".storages", "List all storage resources", "[enabled | disabled]"),
    cmd(".types", "List all job types", ""),
    cmd(".volstatus", "List all volume status", ""),
    cmd(".bvfs_lsdirs", "List directories using BVFS", "jobid=<jobid> path=<path> | pathid=<pathid> [limit=<limit>] [offset=<offset>]"),
    cmd(".bvfs_lsfiles", "List files using BVFS", "jobid=<jobid> path=<path> | pathid=<pathid> [limit=<limit>] [offset=<offset>]"),
    cmd(".bvfs_update", "Update BVFS cache", "[jobid=<jobid>]"),
    cmd(".bvfs_get_jobids", "Get jobids required for a restore", "jobid=<jobid> | ujobid=<unique-jobid> [all]"),
    cmd(".bvfs_versions", "List versions of a file", "jobid=0 client=<client-name> pathid=<path-id> filename=<file-name> [copies] [versions]"),
    cmd(".bvfs_restore", "Mark BVFS files/directories for restore. Stored in handle.", "path=<handle> jobid=<jobid> [fileid=<file-id>] [dirid=<dirid>] [hardlink=<hardlink>]"),
    cmd(".bvfs_cleanup", "Cleanup BVFS cache for a certain handle", "path=<handle>"),
    cmd(".bvfs_clear_cache", "Clear BVFS cache", "yes"),
    cmd("add", "Add media to a pool", "pool=<pool-name> storage=<storage-name> jobid=<jobid>"),
    cmd("autodisplay", "Autodisplay console messages", "on | off"),
    cmd("automount", "Automount after label", "on | off"),
    cmd("cancel", "Cancel a job", "storage=<storage-name> | jobid=<jobid> | job=<job-name> | ujobid=<unique-jobid> | state=<job_state> | all yes"),
    cmd("configure", "Configure director resources", "add client name=<NAME> [description=<STRING>] [protocol=<AUTH_PROTOCOL_TYPE>] [authtype=<AUTH_TYPE>] address=<STRING> [lanaddress=<STRING>] [port=<PINT32>] [username=<STRING>] password=<AUTOPASSWORD> [catalog=<RES>] [passive=<BOOLEAN>] [connectionfromdirectortoclient=<BOOLEAN>] [connectionfromclienttodirector=<BOOLEAN>] [enabled=<BOOLEAN>] [hardquota=<SIZE64>] [softquota=<SIZE64>] [softquotagraceperiod=<TIME>] [strictquotas=<BOOLEAN>] [quotaincludefailedjobs=<BOOLEAN>] [heartbeatinterval=<TIME>] [maximumconcurrentjobs=<PINT32>] [maximumbandwidthperjob=<SPEED>] [ndmploglevel=<PINT32>] [ndmpblocksize=<SIZE32>] [ndmpuselmdb=<BOOLEAN>] [tlsenable=<BOOLEAN>] [tlsrequire=<BOOLEAN>] [tlscipherlist=<STRING>] [tlsciphersuites=<STRING>] [tlsdhfile=<DIRECTORY>] [tlsprotocol=<STRING>] [tlsverifypeer=<BOOLEAN>] [tlscacertificatefile=<DIRECTORY>] [tlscacertificatedir=<DIRECTORY>] [tlscertificaterevocationlist=<DIRECTORY>] [tlscertificate=<DIRECTORY>] [tlskey=<DIRECTORY>] [tlsallowedcn=<STRING_LIST>] | add jobdefs name=<NAME> [description=<STRING>] type=<JOB_TYPE> [protocol=<PROTOCOL_TYPE>] [backupformat=<STRING>] [level=<BACKUP_LEVEL>] messages=<RES> [storage=<RESOURCE_LIST>] pool=<RES> [fullbackuppool=<RES>] [virtualfullbackuppool=<RES>] [incrementalbackuppool=<RES>] [differentialbackuppool=<RES>] [nextpool=<RES>] [client=<RES>] [fileset=<RES>] [schedule=<RES>] [jobtoverify=<RES>] [catalog=<RES>] [jobdefs=<RES>] [run=<STRING_LIST>] [where=<DIRECTORY>] [regexwhere=<STRING>] [stripprefix=<STRING>] [addprefix=<STRING>] [addsuffix=<STRING>] [bootstrap=<DIRECTORY>] [writebootstrap=<DIRECTORY_OR_COMMAND>] [replace=<REPLACE_OPTION>] [maximumbandwidth=<SPEED>] [maxrunschedtime=<TIME>] [maxruntime=<TIME>] [fullmaxruntime=<TIME>] [incrementalmaxruntime=<TIME>] [differentialmaxruntime=<TIME>] [maxwaittime=<TIME>] [maxstartdelay=<TIME>] [maxfullinterval=<TIME>] [maxvirtualfullinterval=<TIME>] [maxdiffinterval=<TIME>] [prefixlinks=<BOOLEAN>] [prunejobs=<BOOLEAN>] [prunefiles=<BOOLEAN>] [prunevolumes=<BOOLEAN>] [purgemigrationjob=<BOOLEAN>] [enabled=<BOOLEAN>] [spoolattributes=<BOOLEAN>] [spooldata=<BOOLEAN>] [spoolsize=<SIZE64>] [rerunfailedlevels=<BOOLEAN>] [prefermountedvolumes=<BOOLEAN>] [runbeforejob=<RUNSCRIPT_SHORT>] [runafterjob=<RUNSCRIPT_SHORT>] [runafterfailedjob=<RUNSCRIPT_SHORT>] [clientrunbeforejob=<RUNSCRIPT_SHORT>] [clientrunafterjob=<RUNSCRIPT_SHORT>] [maximumconcurrentjobs=<PINT32>] [rescheduleonerror=<BOOLEAN>] [rescheduleinterval=<TIME>] [rescheduletimes=<PINT32>] [priority=<PINT32>] [allowmixedpriority=<BOOLEAN>] [selectionpattern=<STRING>] [selectiontype=<MIGRATION_TYPE>] [accurate=<BOOLEAN>] [allowduplicatejobs=<BOOLEAN>] [cancellowerlevelduplicates=<BOOLEAN>] [cancelqueuedduplicates=<BOOLEAN>] [cancelrunningduplicates=<BOOLEAN>] [savefilehistory=<BOOLEAN>] [filehistorysize=<SIZE64>] [fdpluginoptions=<STRING_LIST>] [sdpluginoptions=<STRING_LIST>] [dirpluginoptions=<STRING_LIST>] [maxconcurrentcopies=<PINT32>] [alwaysincremental=<BOOLEAN>] [alwaysincrementaljobretention=<TIME>] [alwaysincrementalkeepnumber=<PINT32>] [alwaysincrementalmaxfullage=<TIME>] [maxfullconsolidations=<PINT32>] [runonincomingconnectinterval=<TIME>] | add job name=<NAME> [description=<STRING>] type=<JOB_TYPE> [protocol=<PROTOCOL_TYPE>] [backupformat=<STRING>] [level=<BACKUP_LEVEL>] messages=<RES> [storage=<RESOURCE_LIST>] pool=<RES> [fullbackuppool=<RES>] [virtualfullbackuppool=<RES>] [incrementalbackuppool=<RES>] [differentialbackuppool=<RES>] [nextpool=<RES>] [client=<RES>] [fileset=<RES>] [schedule=<RES>] [jobtoverify=<RES>] [catalog=<RES>] [jobdefs=<RES>] [run=<STRING_LIST>] [where=<DIRECTORY>] [regexwhere=<STRING>] [stripprefix=<STRING>] [addprefix=<STRING>] [addsuffix=<STRING>] [bootstrap=<DIRECTORY>] [writebootstrap=<DIRECTORY_OR_COMMAND>] [replace=<REPLACE_OPTION>] [maximumbandwidth=<SPEED>] [maxrunschedtime=<TIME>] [maxruntime=<TIME>] [fullmaxruntime=<TIME>] [incrementalmaxruntime=<TIME>] [differentialmaxruntime=<TIME>] [maxwaittime=<TIME>] [maxstartdelay=<TIME>] [maxfullinterval=<TIME>] [maxvirtualfullinterval=<TIME>] [maxdiffinterval=<TIME>] [prefixlinks=<BOOLEAN>] [prunejobs=<BOOLEAN>] [prunefiles=<BOOLEAN>] [prunevolumes=<BOOLEAN>] [purgemigrationjob=<BOOLEAN>] [enabled=<BOOLEAN>] [spoolattributes=<BOOLEAN>] [spooldata=<BOOLEAN>] [spoolsize=<SIZE64>] [rerunfailedlevels=<BOOLEAN>] [prefermountedvolumes=<BOOLEAN>] [runbeforejob=<RUNSCRIPT_SHORT>] [runafterjob=<RUNSCRIPT_SHORT>] [runafterfailedjob=<RUNSCRIPT_SHORT>] [clientrunbeforejob=<RUNSCRIPT_SHORT>] [clientrunafterjob=<RUNSCRIPT_SHORT>] [maximumconcurrentjobs=<PINT32>] [rescheduleonerror=<BOOLEAN>] [rescheduleinterval=<TIME>] [rescheduletimes=<PINT32>] [priority=<PINT32>] [allowmixedpriority=<BOOLEAN>] [selectionpattern=<STRING>] [selectiontype=<MIGRATION_TYPE>] [accurate=<BOOLEAN>] [allowduplicatejobs=<BOOLEAN>] [cancellowerlevelduplicates=<BOOLEAN>] [cancelqueuedduplicates=<BOOLEAN>] [cancelrunningduplicates=<BOOLEAN>] [savefilehistory=<BOOLEAN>] [filehistorysize=<SIZE64>] [fdpluginoptions=<STRING_LIST>] [sdpluginoptions=<STRING_LIST>] [dirpluginoptions=<STRING_LIST>] [maxconcurrentcopies=<PINT32>] [alwaysincremental=<BOOLEAN>] [alwaysincrementaljobretention=<TIME>] [alwaysincrementalkeepnumber=<PINT32>] [alwaysincrementalmaxfullage=<TIME>] [maxfullconsolidations=<PINT32>] [runonincomingconnectinterval=<TIME>] | add storage name=<NAME> [description=<STRING>] [protocol=<AUTH_PROTOCOL_TYPE>] [authtype=<AUTH_TYPE>] address=<STRING> [lanaddress=<STRING>] [port=<PINT32>] [username=<STRING>] password=<AUTOPASSWORD> device=<DEVICE> mediatype=<STRNAME> [autochanger=<BOOLEAN>] [enabled=<BOOLEAN>] [allowcompression=<BOOLEAN>] [heartbeatinterval=<TIME>] [cachestatusinterval=<TIME>] [maximumconcurrentjobs=<PINT32>] [maximumconcurrentreadjobs=<PINT32>] [pairedstorage=<RES>] [maximumbandwidthperjob=<SPEED>] [ndmpchangerdevice=<STRNAME>] [tlsenable=<BOOLEAN>] [tlsrequire=<BOOLEAN>] [tlscipherlist=<STRING>] [tlsciphersuites=<STRING>] [tlsdhfile=<DIRECTORY>] [tlsprotocol=<STRING>] [tlsverifypeer=<BOOLEAN>] [tlscacertificatefile=<DIRECTORY>] [tlscacertificatedir=<DIRECTORY>] [tlscertificaterevocationlist=<DIRECTORY>] [tlscertificate=<DIRECTORY>] [tlskey=<DIRECTORY>] [tlsallowedcn=<STRING_LIST>] | add catalog name=<NAME> [description=<STRING>] [dbaddress=<STRING>] [dbport=<PINT32>] [dbpassword=<AUTOPASSWORD>] dbuser=<STRING> dbname=<STRING> [dbsocket=<STRING>] [reconnect=<BOOLEAN>] [exitonfatal=<BOOLEAN>] [minconnections=<PINT32>] [maxconnections=<PINT32>] [incconnections=<PINT32>] [idletimeout=<PINT32>] [validatetimeout=<PINT32>] | add schedule name=<NAME> [description=<STRING>] [run=<SCHEDULE_RUN_COMMAND>] [enabled=<BOOLEAN>] | add fileset name=<NAME> [description=<STRING>] [ignorefilesetchanges=<BOOLEAN>] [enablevss=<BOOLEAN>] | add pool name=<NAME> [description=<STRING>] [pooltype=<POOLTYPE>] [labelformat=<STRNAME>] [cleaningprefix=<STRNAME>] [usecatalog=<BOOLEAN>] [purgeoldestvolume=<BOOLEAN>] [actiononpurge=<ACTION_ON_PURGE>] [recycleoldestvolume=<BOOLEAN>] [recyclecurrentvolume=<BOOLEAN>] [maximumvolumes=<PINT32>] [maximumvolumejobs=<PINT32>] [maximumvolumefiles=<PINT32>] [maximumvolumebytes=<SIZE64>] [catalogfiles=<BOOLEAN>] [volumeretention=<TIME>] [volumeuseduration=<TIME>] [migrationtime=<TIME>] [migrationhighbytes=<SIZE64>] [migrationlowbytes=<SIZE64>] [nextpool=<RES>] [storage=<RESOURCE_LIST>] [autoprune=<BOOLEAN>] [recycle=<BOOLEAN>] [recyclepool=<RES>] [scratchpool=<RES>] [catalog=<RES>] [minimumblocksize=<SIZE32>] [maximumblocksize=<SIZE32>] | add messages [name=<NAME>] [description=<STRING>] [mailcommand=<STRING>] [operatorcommand=<STRING>] [timestampformat=<STRING>] [syslog=<MESSAGES>] [mail=<MESSAGES>] [mailonerror=<MESSAGES>] [mailonsuccess=<MESSAGES>] [file=<MESSAGES>] [append=<MESSAGES>] [stdout=<MESSAGES>] [stderr=<MESSAGES>] [director=<MESSAGES>] [console=<MESSAGES>] [operator=<MESSAGES>] [catalog=<MESSAGES>] | add counter name=<NAME> [description=<STRING>] [minimum=<INT32>] [maximum=<PINT32>] [wrapcounter=<RES>] [catalog=<RES>] | add profile name=<NAME> [description=<STRING>] [jobacl=<ACL>] [clientacl=<ACL>] [storageacl=<ACL>] [scheduleacl=<ACL>] [poolacl=<ACL>] [commandacl=<ACL>] [filesetacl=<ACL>] [catalogacl=<ACL>] [whereacl=<ACL>] [pluginoptionsacl=<ACL>] | add console name=<NAME> [description=<STRING>] password=<AUTOPASSWORD> [jobacl=<ACL>] [clientacl=<ACL>] [storageacl=<ACL>] [scheduleacl=<ACL>] [poolacl=<ACL>] [commandacl=<ACL>] [filesetacl=<ACL>] [catalogacl=<ACL>] [whereacl=<ACL>] [pluginoptionsacl=<ACL>] [profile=<RESOURCE_LIST>] [usepamauthentication=<BOOLEAN>] [tlsenable=<BOOLEAN>] [tlsrequire=<BOOLEAN>] [tlscipherlist=<STRING>] [tlsciphersuites=<STRING>] [tlsdhfile=<DIRECTORY>] [tlsprotocol=<STRING>] [tlsverifypeer=<BOOLEAN>] [tlscacertificatefile=<DIRECTORY>] [tlscacertificatedir=<DIRECTORY>] [tlscertificaterevocationlist=<DIRECTORY>] [tlscertificate=<DIRECTORY>] [tlskey=<DIRECTORY>] [tlsallowedcn=<STRING_LIST>] | add user name=<NAME> [description=<STRING>] [jobacl=<ACL>] [clientacl=<ACL>] [storageacl=<ACL>] [scheduleacl=<ACL>] [poolacl=<ACL>] [commandacl=<ACL>] [filesetacl=<ACL>] [catalogacl=<ACL>] [whereacl=<ACL>] [pluginoptionsacl=<ACL>] [profile=<RESOURCE_LIST>] | export client=<client>"),
    cmd("create", "Create DB Pool from resource", "pool=<pool-name>"),
    cmd("delete", "Delete volume, pool or job", "[volume=<vol-name> [yes] | volume pool=<pool-name> [yes] | storage storage=<storage-name> | pool=<pool-name> | jobid=<jobid> | jobid=<jobid1,jobid2,...> | jobid=<jobid1-jobid9>]"),
    cmd("disable", "Disable a job/client/schedule", "job=<job-name> client=<client-name> schedule=<schedule-name>"),
    cmd("enable", "Enable a job/client/schedule", "job=<job-name> client=<client-name> schedule=<schedule-name>"),
    cmd("estimate", "Performs FileSet estimate, listing gives full listing", "fileset=<fileset-name> client=<client-name> level=<level> accurate=<yes/no> job=<job-name> listing"),
    cmd("exit", "Terminate Bconsole session", ""),
    cmd("export", "Export volumes from normal slots to import/export slots", "storage=<storage-name> srcslots=<slot-selection> [ dstslots=<slot-selection> volume=<volume-name> scan ]"),
    cmd("gui", "Switch between interactive (gui off) and non-interactive (gui on) mode", "on | off"),
    cmd("help", "Print help on specific command", "add autodisplay automount cancel configure create delete disable enable estimate exit gui label list llist messages memory mount prune purge quit query restore relabel release reload run status setbandwidth setdebug setip show sqlquery time trace truncate unmount umount update use var version wait"),
    cmd("import", "Import volumes from import/export slots to normal slots", "storage=<storage-name> [ srcslots=<slot-selection> dstslots=<slot-selection> volume=<volume-name> scan ]"),
    cmd("label", "Label a tape", "storage=<storage-name> volume=<volume-name> pool=<pool-name> slot=<slot> [ drive = <drivenum>] [ barcodes ] [ encrypt ] [ yes ]"),
    cmd("list", "List objects from catalog", "basefiles ( jobid=<jobid> | ujobid=<complete_name> ) | backups client=<client-name> [fileset=<fileset-name>] [jobstatus=<status>] [level=<level>] [order=<asc|desc>] [limit=<number>] [days=<number>] [hours=<number>] | client=<client-name> | clients | copies jobid=<jobid> | files jobid=<jobid> | files ujobid=<complete_name> | filesets | fileset [ filesetid=<filesetid> ] | fileset [ jobid=<jobid> ] | fileset [ ujobid=<complete_name> ] | jobs [job=<job-name>] [client=<client-name>] [jobstatus=<status>] [jobtype=<jobtype>] [joblevel=<joblevel>] [volume=<volumename>] [pool=<pool>] [days=<number>] [hours=<number>] [last] [count] | job=<job-name> [client=<client-name>] [jobstatus=<status>] [jobtype=<jobtype>] [joblevel=<joblevel>] [volume=<volumename>] [days=<number>] [hours=<number>] | jobid=<jobid> | ujobid=<complete_name> | joblog jobid=<jobid> [count] | joblog ujobid=<complete_name> [count] | jobmedia jobid=<jobid> | jobmedia ujobid=<complete_name> | jobtotals | jobstatistics jobid=<jobid> | log [client=<client-name>] [reverse] | media [ jobid=<jobid> | ujobid=<complete_name> | pool=<pool-name> | all ] | media=<media-name> | nextvolume job=<job-name> [days=<number>] | pools | pool=<pool-name> | poolid=<poolid> | storages | volumes [ jobid=<jobid> | ujobid=<complete_name> | pool=<pool-name> | all ] [count] | volume=<volume-name> | volumeid=<volumeid> | mediaid=<volumeid> | [current] | [enabled | disabled] | [limit=<number> [offset=<number>]]"),
    cmd("llist", "Full or long list like list command", "basefiles ( jobid=<jobid> | ujobid=<complete_name> ) | backups client=<client-name> [fileset=<fileset-name>] [jobstatus=<status>] [level=<level>] [order=<asc|desc>] [limit=<number>] [days=<number>] [hours=<number>] | client=<client-name> | clients | copies jobid=<jobid> | files jobid=<jobid> | files ujobid=<complete_name> | filesets | fileset [ filesetid=<filesetid> ] | fileset [ jobid=<jobid> ] | fileset [ ujobid=<complete_name> ] | jobs [job=<job-name>] [client=<client-name>] [jobstatus=<status>] [jobtype=<jobtype>] [joblevel=<joblevel>] [volume=<volumename>] [pool=<pool>] [days=<number>] [hours=<number>] [last] [count] | job=<job-name> [client=<client-name>] [jobstatus=<status>] [jobtype=<jobtype>] [joblevel=<joblevel>] [volume=<volumename>] [days=<number>] [hours=<number>] | jobid=<jobid> | ujobid=<complete_name> | joblog jobid=<jobid> [count] | joblog ujobid=<complete_name> [count] | jobmedia jobid=<jobid> | jobmedia ujobid=<complete_name> | jobtotals | jobstatistics jobid=<jobid> | log [client=<client-name>] [reverse] | media [ jobid=<jobid> | ujobid=<complete_name> | pool=<pool-name> | all ] | media=<media-name> | nextvolume job=<job-name> [days=<number>] | pools | pool=<pool-name> | poolid=<poolid> | storages | volumes [ jobid=<jobid> | ujobid=<complete_name> | pool=<pool-name> | all ] [count] | volume=<volume-name> | volumeid=<volumeid> | mediaid=<volumeid> | [current] | [enabled | disabled] | [limit=<number> [offset=<number>]]"),
    cmd("messages", "Display pending messages", ""),
    cmd("memory", "Print current memory usage", ""),
    cmd("mount", "Mount storage", "storage=<storage-name> slot=<num> drive=<drivenum> jobid=<jobid> | job=<job-name> | ujobid=<complete_name>"),
    cmd("move", "Move slots in an autochanger", "storage=<storage-name> srcslots=<slot-selection> dstslots=<slot-selection>"),
    cmd("prune", "Prune records from catalog", "files [client=<client>] [pool=<pool>] [yes] | jobs [client=<client>] [pool=<pool>] [yes] | volume [all] [=volume] [pool=<pool>] [yes] | stats [yes] | directory [=directory] [client=<client>] [recursive] [yes]"),
    cmd("purge", "Purge records from catalog", "[files [job=<job> | jobid=<jobid> | client=<client> | volume=<volume>]] | [jobs [client=<client> | volume=<volume>] | pool=<pool>] [jobstatus=<status>]] | [volume[=<volume>] [storage=<storage>] [pool=<pool> | allpools] [devicetype=<type>] [drive=<drivenum>] [action=<action>]] | [quota [client=<client>]]"),
    cmd("quit", "Terminate Bconsole session", ""),
    cmd("query", "Query catalog", ""),
    cmd("restore", "Restore files", "where=</path> client=<client-name> storage=<storage-name> bootstrap=<file> restorejob=<job-name> comment=<text> jobid=<jobid> fileset=<fileset-name> replace=<always|never|ifolder|ifnewer> pluginoptions=<plugin-options-string> regexwhere=<regex> fileregex=<regex> restoreclient=<client-name> backupformat=<format> pool=<pool-name> file=<filename> directory=<directory> before=<date> strip_prefix=<prefix> add_prefix=<prefix> add_suffix=<suffix> select=<date> select before current copies done all"),
    cmd("relabel", "Relabel a tape", "storage=<storage-name> oldvolume=<old-volume-name>  volume=<new-volume-name> pool=<pool-name> [ encrypt ]"),
    cmd("release", "Release storage", "storage=<storage-name> [ drive=<drivenum> ] [ alldrives ]"),
    cmd("reload", "Reload conf file", ""),
    cmd("rerun", "Rerun a job", "jobid=<jobid> | since_jobid=<jobid> [ until_jobid=<jobid> ] | days=<nr_days> | hours=<nr_hours> | yes"),
    cmd("resolve", "Resolve a hostname", "client=<client-name> | storage=<storage-name> <host-name>"),
    cmd("run", "Run a job", "job=<job-name> client=<client-name> fileset=<fileset-name> level=<level> storage=<storage-name> where=<directory-prefix> when=<universal-time-specification> pool=<pool-name> pluginoptions=<plugin-options-string> accurate=<yes|no> comment=<text> spooldata=<yes|no> priority=<number> jobid=<jobid> catalog=<catalog> migrationjob=<job-name> backupclient=<client-name> backupformat=<format> nextpool=<pool-name> since=<universal-time-specification> verifyjob=<job-name> migrationjob=<complete_name> [ yes ]"),
    cmd("status", "Report status", "all | dir=<dir-name> | director | scheduler | schedule=<schedule-name> | client=<client-name> | storage=<storage-name> slots | days=<nr_days> | job=<job-name> | subscriptions [clients] [plugins] [all] [anonymize] [client=<client-name>] | configuration"),
    cmd("setbandwidth", "Sets bandwidth", "[ client=<client-name> | storage=<storage-name> | jobid=<jobid> | job=<job-name> | ujobid=<unique-jobid> state=<job_state> | all ] limit=<nn-kbs> [ yes ]"),
    cmd("setdebug", "Sets debug level", "level=<nn> trace=0/1 timestamp=0/1 client=<client-name> | dir | storage=<storage-name> | all"),
    cmd("setdevice", "Sets device parameter", "storage=<storage-name> device=<device-name> autoselect=<bool>"),
    cmd("setip", "Sets new client address -- if authorized", ""),
    cmd("show", "Show resource records", "catalog=<catalog-name> | client=<client-name> | console=<console-name> | director=<director-name> | fileset=<fileset-name> | jobdefs=<job-defaults> | job=<job-name> | message=<message-resource-name> | pool=<pool-name> | profile=<profile-name> | schedule=<schedule-name> | storage=<storage-name> | catalog | clients | consoles | directors | filesets | jobdefs | jobs | messages | pools | profiles | schedules | storages | disabled [ clients | jobs | schedules ] | all [verbose]"),
    cmd("sqlquery", "Use SQL to query catalog", ""),
    cmd("time", "Print current time", ""),
    cmd("trace", "Turn on/off trace to file", "on | off"),
    cmd("truncate", "Truncate purged volumes", "volstatus=Purged [storage=<storage>] [pool=<pool>] [volume=<volume>] [drive=<drivenum>] [yes]"),
    cmd("unmount", "Unmount storage", "storage=<storage-name> [ drive=<drivenum> ] jobid=<jobid> | job=<job-name> | ujobid=<complete_name>"),
    cmd("umount", "Umount - for old-time Unix guys, see unmount", "storage=<storage-name> [ drive=<drivenum> ] jobid=<jobid> | job=<job-name> | ujobid=<complete_name>"),
    cmd("update", "Update volume, pool, slots, job or statistics", "[volume=<volume-name> [volstatus=<status>] [volretention=<time-def>] [actiononpurge=<action>] [encrypt=<yes/no/rotate>] [pool=<pool-name>] [recycle=<yes/no>] [slot=<number>] [inchanger=<yes/no>]] | [pool=<pool-name> [maxvolbytes=<size>] [maxvolfiles=<nb>] [maxvoljobs=<nb>][enabled=<yes/no>] [recyclepool=<pool-name>] [actiononpurge=<action>] | slots [storage=<storage-name>] [scan]] | [jobid=<jobid> [jobname=<name>] [starttime=<time-def>] [client=<client-name>] [filesetid=<fileset-id>] [jobtype=<job-type>]] | [stats [days=<number>]]"),
    cmd("use", "Use specific catalog", "catalog=<catalog>"),
    cmd("var", "Does variable expansion", ""),
    cmd("version", "Print Director version", ""),
    cmd("wait", "Wait until no jobs are running", "jobname=<name> | jobid=<jobid> | ujobid=<complete_name> | mount [timeout=<number>]"),
    cmd("whoami", "Print the user name associated with this console", ""),
];

/// The command a typed word runs: the first in [`DIRECTOR_COMMANDS`] that the word is a
/// case-insensitive prefix of, or `None` (an empty word, or one the director calls "an
/// invalid command").
///
/// ```
/// use bareos_proto::command_table::resolve;
/// assert_eq!(resolve("q").unwrap().name, "quit");
/// assert_eq!(resolve(".AP").unwrap().name, ".api");
/// assert_eq!(resolve("st").unwrap().name, "status");
/// assert!(resolve("frobnicate").is_none());
/// ```
pub fn resolve(word: &str) -> Option<&'static DirectorCommand> {
    // The names are lower case ASCII: only those of the word's first byte can match, in
    // table order (this runs for every command a client sends).
    let first = usize::from(word.as_bytes().first()?.to_ascii_lowercase());
    let positions = BY_FIRST_BYTE.order.get(
        usize::from(*BY_FIRST_BYTE.start.get(first)?)
            ..usize::from(*BY_FIRST_BYTE.start.get(first + 1)?),
    )?;
    positions
        .iter()
        .map(|&at| &DIRECTOR_COMMANDS[usize::from(at)])
        .find(|command| command.is_typed_as(word))
}

/// The table's positions grouped by the first byte of the name, each group in table
/// order: the names starting with byte `b` are at `order[start[b]..start[b + 1]]`.
struct FirstByteIndex {
    start: [u8; 129],
    order: [u8; DIRECTOR_COMMANDS.len()],
}

static BY_FIRST_BYTE: FirstByteIndex = first_byte_index();

const fn first_byte_index() -> FirstByteIndex {
    assert!(DIRECTOR_COMMANDS.len() < 256, "positions are kept as u8");
    let mut start = [0u8; 129];
    let mut i = 0;
    while i < DIRECTOR_COMMANDS.len() {
        let first = DIRECTOR_COMMANDS[i].name.as_bytes()[0];
        assert!(
            first.is_ascii() && !first.is_ascii_uppercase(),
            "lower case ASCII names"
        );
        start[first as usize + 1] += 1;
        i += 1;
    }
    let mut b = 0;
    while b < 128 {
        start[b + 1] += start[b];
        b += 1;
    }
    let mut next = start;
    let mut order = [0u8; DIRECTOR_COMMANDS.len()];
    i = 0;
    while i < DIRECTOR_COMMANDS.len() {
        let first = DIRECTOR_COMMANDS[i].name.as_bytes()[0] as usize;
        order[next[first] as usize] = i as u8;
        next[first] += 1;
        i += 1;
    }
    FirstByteIndex { start, order }
}

/// The command a whole command line runs, read as the director reads it
/// ([`command_word`], then [`resolve`]).
///
/// ```
/// use bareos_proto::command_table::resolve_line;
/// assert_eq!(resolve_line("  qu").unwrap().name, "quit");
/// assert_eq!(resolve_line("\"list\" jobs").unwrap().name, "list");
/// ```
pub fn resolve_line(line: &str) -> Option<&'static DirectorCommand> {
    resolve(&command_word(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_match_in_table_order() {
        assert_eq!(resolve("q").unwrap().name, "quit");
        assert_eq!(resolve("qu").unwrap().name, "quit");
        assert_eq!(resolve("que").unwrap().name, "query");
        assert_eq!(resolve("e").unwrap().name, "enable");
        assert_eq!(resolve("ex").unwrap().name, "exit");
        assert_eq!(resolve(".").unwrap().name, ".");
        assert_eq!(resolve(".a").unwrap().name, ".actiononpurge");
        assert_eq!(resolve(".ap").unwrap().name, ".api");
        assert_eq!(resolve(".q").unwrap().name, ".quit");
        assert_eq!(resolve("STATUS").unwrap().name, "status");
        assert!(resolve("statusx").is_none());
        assert!(resolve("").is_none());
        assert!(resolve("é").is_none());
    }

    #[test]
    fn session_effects() {
        for word in ["q", "exit", ".quit"] {
            assert!(resolve(word).unwrap().ends_session(), "{word}");
        }
        for word in [".ap", "gu", "autod", "automount", "use"] {
            assert!(resolve(word).unwrap().changes_session(), "{word}");
        }
        for word in ["st", "list", ".", "que"] {
            assert!(!resolve(word).unwrap().changes_session(), "{word}");
        }
    }

    #[test]
    fn names_are_unique_and_lower_case() {
        let mut names: Vec<_> = DIRECTOR_COMMANDS.iter().map(|c| c.name).collect();
        assert!(names.iter().all(|n| *n == n.to_ascii_lowercase()));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DIRECTOR_COMMANDS.len());
    }

    #[test]
    fn resolve_is_the_first_case_insensitive_prefix() {
        let plain = |word: &str| DIRECTOR_COMMANDS.iter().find(|c| c.is_typed_as(word));
        let mut words = vec![String::new(), "x".into(), "\u{e9}t".into(), "Z".into()];
        for command in DIRECTOR_COMMANDS {
            for end in 1..=command.name.len() {
                words.push(command.name[..end].to_string());
                words.push(command.name[..end].to_ascii_uppercase());
            }
            words.push(format!("{}x", command.name));
        }
        for word in &words {
            assert_eq!(
                resolve(word).map(|c| c.name),
                plain(word).map(|c| c.name),
                "{word}"
            );
        }
    }
}
