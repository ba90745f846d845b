package runtime.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class ImageServiceGrpc {

  private ImageServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "runtime.v1.ImageService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<runtime.v1.ListImagesRequest,
      runtime.v1.ListImagesResponse> getListImagesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListImages",
      requestType = runtime.v1.ListImagesRequest.class,
      responseType = runtime.v1.ListImagesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<runtime.v1.ListImagesRequest,
      runtime.v1.ListImagesResponse> getListImagesMethod() {
    io.grpc.MethodDescriptor<runtime.v1.ListImagesRequest, runtime.v1.ListImagesResponse> getListImagesMethod;
    if ((getListImagesMethod = ImageServiceGrpc.getListImagesMethod) == null) {
      synchronized (ImageServiceGrpc.class) {
        if ((getListImagesMethod = ImageServiceGrpc.getListImagesMethod) == null) {
          ImageServiceGrpc.getListImagesMethod = getListImagesMethod =
              io.grpc.MethodDescriptor.<runtime.v1.ListImagesRequest, runtime.v1.ListImagesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListImages"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.ListImagesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.ListImagesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ImageServiceMethodDescriptorSupplier("ListImages"))
              .build();
        }
      }
    }
    return getListImagesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<runtime.v1.StreamImagesRequest,
      runtime.v1.StreamImagesResponse> getStreamImagesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "StreamImages",
      requestType = runtime.v1.StreamImagesRequest.class,
      responseType = runtime.v1.StreamImagesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<runtime.v1.StreamImagesRequest,
      runtime.v1.StreamImagesResponse> getStreamImagesMethod() {
    io.grpc.MethodDescriptor<runtime.v1.StreamImagesRequest, runtime.v1.StreamImagesResponse> getStreamImagesMethod;
    if ((getStreamImagesMethod = ImageServiceGrpc.getStreamImagesMethod) == null) {
      synchronized (ImageServiceGrpc.class) {
        if ((getStreamImagesMethod = ImageServiceGrpc.getStreamImagesMethod) == null) {
          ImageServiceGrpc.getStreamImagesMethod = getStreamImagesMethod =
              io.grpc.MethodDescriptor.<runtime.v1.StreamImagesRequest, runtime.v1.StreamImagesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "StreamImages"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.StreamImagesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.StreamImagesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ImageServiceMethodDescriptorSupplier("StreamImages"))
              .build();
        }
      }
    }
    return getStreamImagesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<runtime.v1.ImageStatusRequest,
      runtime.v1.ImageStatusResponse> getImageStatusMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ImageStatus",
      requestType = runtime.v1.ImageStatusRequest.class,
      responseType = runtime.v1.ImageStatusResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<runtime.v1.ImageStatusRequest,
      runtime.v1.ImageStatusResponse> getImageStatusMethod() {
    io.grpc.MethodDescriptor<runtime.v1.ImageStatusRequest, runtime.v1.ImageStatusResponse> getImageStatusMethod;
    if ((getImageStatusMethod = ImageServiceGrpc.getImageStatusMethod) == null) {
      synchronized (ImageServiceGrpc.class) {
        if ((getImageStatusMethod = ImageServiceGrpc.getImageStatusMethod) == null) {
          ImageServiceGrpc.getImageStatusMethod = getImageStatusMethod =
              io.grpc.MethodDescriptor.<runtime.v1.ImageStatusRequest, runtime.v1.ImageStatusResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ImageStatus"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.ImageStatusRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.ImageStatusResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ImageServiceMethodDescriptorSupplier("ImageStatus"))
              .build();
        }
      }
    }
    return getImageStatusMethod;
  }

  private static volatile io.grpc.MethodDescriptor<runtime.v1.PullImageRequest,
      runtime.v1.PullImageResponse> getPullImageMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PullImage",
      requestType = runtime.v1.PullImageRequest.class,
      responseType = runtime.v1.PullImageResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<runtime.v1.PullImageRequest,
      runtime.v1.PullImageResponse> getPullImageMethod() {
    io.grpc.MethodDescriptor<runtime.v1.PullImageRequest, runtime.v1.PullImageResponse> getPullImageMethod;
    if ((getPullImageMethod = ImageServiceGrpc.getPullImageMethod) == null) {
      synchronized (ImageServiceGrpc.class) {
        if ((getPullImageMethod = ImageServiceGrpc.getPullImageMethod) == null) {
          ImageServiceGrpc.getPullImageMethod = getPullImageMethod =
              io.grpc.MethodDescriptor.<runtime.v1.PullImageRequest, runtime.v1.PullImageResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PullImage"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.PullImageRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.PullImageResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ImageServiceMethodDescriptorSupplier("PullImage"))
              .build();
        }
      }
    }
    return getPullImageMethod;
  }

  private static volatile io.grpc.MethodDescriptor<runtime.v1.RemoveImageRequest,
      runtime.v1.RemoveImageResponse> getRemoveImageMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RemoveImage",
      requestType = runtime.v1.RemoveImageRequest.class,
      responseType = runtime.v1.RemoveImageResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<runtime.v1.RemoveImageRequest,
      runtime.v1.RemoveImageResponse> getRemoveImageMethod() {
    io.grpc.MethodDescriptor<runtime.v1.RemoveImageRequest, runtime.v1.RemoveImageResponse> getRemoveImageMethod;
    if ((getRemoveImageMethod = ImageServiceGrpc.getRemoveImageMethod) == null) {
      synchronized (ImageServiceGrpc.class) {
        if ((getRemoveImageMethod = ImageServiceGrpc.getRemoveImageMethod) == null) {
          ImageServiceGrpc.getRemoveImageMethod = getRemoveImageMethod =
              io.grpc.MethodDescriptor.<runtime.v1.RemoveImageRequest, runtime.v1.RemoveImageResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RemoveImage"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.RemoveImageRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.RemoveImageResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ImageServiceMethodDescriptorSupplier("RemoveImage"))
              .build();
        }
      }
    }
    return getRemoveImageMethod;
  }

  private static volatile io.grpc.MethodDescriptor<runtime.v1.ImageFsInfoRequest,
      runtime.v1.ImageFsInfoResponse> getImageFsInfoMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ImageFsInfo",
      requestType = runtime.v1.ImageFsInfoRequest.class,
      responseType = runtime.v1.ImageFsInfoResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<runtime.v1.ImageFsInfoRequest,
      runtime.v1.ImageFsInfoResponse> getImageFsInfoMethod() {
    io.grpc.MethodDescriptor<runtime.v1.ImageFsInfoRequest, runtime.v1.ImageFsInfoResponse> getImageFsInfoMethod;
    if ((getImageFsInfoMethod = ImageServiceGrpc.getImageFsInfoMethod) == null) {
      synchronized (ImageServiceGrpc.class) {
        if ((getImageFsInfoMethod = ImageServiceGrpc.getImageFsInfoMethod) == null) {
          ImageServiceGrpc.getImageFsInfoMethod = getImageFsInfoMethod =
              io.grpc.MethodDescriptor.<runtime.v1.ImageFsInfoRequest, runtime.v1.ImageFsInfoResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ImageFsInfo"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.ImageFsInfoRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.ImageFsInfoResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ImageServiceMethodDescriptorSupplier("ImageFsInfo"))
              .build();
        }
      }
    }
    return getImageFsInfoMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ImageServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ImageServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ImageServiceStub>() {
        @java.lang.Override
        public ImageServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ImageServiceStub(channel, callOptions);
        }
      };
    return ImageServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static ImageServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ImageServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ImageServiceBlockingV2Stub>() {
        @java.lang.Override
        public ImageServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ImageServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return ImageServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ImageServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ImageServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ImageServiceBlockingStub>() {
        @java.lang.Override
        public ImageServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ImageServiceBlockingStub(channel, callOptions);
        }
      };
    return ImageServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ImageServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ImageServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ImageServiceFutureStub>() {
        @java.lang.Override
        public ImageServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ImageServiceFutureStub(channel, callOptions);
        }
      };
    return ImageServiceFutureStub.newStub(factory, channel);
  }

  /**
   */
  public interface AsyncService {

    /**
     */
    default void listImages(runtime.v1.ListImagesRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.ListImagesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListImagesMethod(), responseObserver);
    }

    /**
     */
    default void streamImages(runtime.v1.StreamImagesRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.StreamImagesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getStreamImagesMethod(), responseObserver);
    }

    /**
     */
    default void imageStatus(runtime.v1.ImageStatusRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.ImageStatusResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getImageStatusMethod(), responseObserver);
    }

    /**
     */
    default void pullImage(runtime.v1.PullImageRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.PullImageResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPullImageMethod(), responseObserver);
    }

    /**
     */
    default void removeImage(runtime.v1.RemoveImageRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.RemoveImageResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRemoveImageMethod(), responseObserver);
    }

    /**
     */
    default void imageFsInfo(runtime.v1.ImageFsInfoRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.ImageFsInfoResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getImageFsInfoMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service ImageService.
   */
  public static abstract class ImageServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return ImageServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service ImageService.
   */
  public static final class ImageServiceStub
      extends io.grpc.stub.AbstractAsyncStub<ImageServiceStub> {
    private ImageServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ImageServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ImageServiceStub(channel, callOptions);
    }

    /**
     */
    public void listImages(runtime.v1.ListImagesRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.ListImagesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListImagesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void streamImages(runtime.v1.StreamImagesRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.StreamImagesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getStreamImagesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void imageStatus(runtime.v1.ImageStatusRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.ImageStatusResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getImageStatusMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void pullImage(runtime.v1.PullImageRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.PullImageResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPullImageMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void removeImage(runtime.v1.RemoveImageRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.RemoveImageResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRemoveImageMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void imageFsInfo(runtime.v1.ImageFsInfoRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.ImageFsInfoResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getImageFsInfoMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service ImageService.
   */
  public static final class ImageServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<ImageServiceBlockingV2Stub> {
    private ImageServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ImageServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ImageServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public runtime.v1.ListImagesResponse listImages(runtime.v1.ListImagesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListImagesMethod(), getCallOptions(), request);
    }

    /**
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, runtime.v1.StreamImagesResponse>
        streamImages(runtime.v1.StreamImagesRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getStreamImagesMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.ImageStatusResponse imageStatus(runtime.v1.ImageStatusRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getImageStatusMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.PullImageResponse pullImage(runtime.v1.PullImageRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPullImageMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.RemoveImageResponse removeImage(runtime.v1.RemoveImageRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRemoveImageMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.ImageFsInfoResponse imageFsInfo(runtime.v1.ImageFsInfoRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getImageFsInfoMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service ImageService.
   */
  public static final class ImageServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<ImageServiceBlockingStub> {
    private ImageServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ImageServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ImageServiceBlockingStub(channel, callOptions);
    }

    /**
     */
    public runtime.v1.ListImagesResponse listImages(runtime.v1.ListImagesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListImagesMethod(), getCallOptions(), request);
    }

    /**
     */
    public java.util.Iterator<runtime.v1.StreamImagesResponse> streamImages(
        runtime.v1.StreamImagesRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getStreamImagesMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.ImageStatusResponse imageStatus(runtime.v1.ImageStatusRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getImageStatusMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.PullImageResponse pullImage(runtime.v1.PullImageRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPullImageMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.RemoveImageResponse removeImage(runtime.v1.RemoveImageRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRemoveImageMethod(), getCallOptions(), request);
    }

    /**
     */
    public runtime.v1.ImageFsInfoResponse imageFsInfo(runtime.v1.ImageFsInfoRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getImageFsInfoMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service ImageService.
   */
  public static final class ImageServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<ImageServiceFutureStub> {
    private ImageServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ImageServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ImageServiceFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<runtime.v1.ListImagesResponse> listImages(
        runtime.v1.ListImagesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListImagesMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<runtime.v1.ImageStatusResponse> imageStatus(
        runtime.v1.ImageStatusRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getImageStatusMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<runtime.v1.PullImageResponse> pullImage(
        runtime.v1.PullImageRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPullImageMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<runtime.v1.RemoveImageResponse> removeImage(
        runtime.v1.RemoveImageRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRemoveImageMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<runtime.v1.ImageFsInfoResponse> imageFsInfo(
        runtime.v1.ImageFsInfoRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getImageFsInfoMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_IMAGES = 0;
  private static final int METHODID_STREAM_IMAGES = 1;
  private static final int METHODID_IMAGE_STATUS = 2;
  private static final int METHODID_PULL_IMAGE = 3;
  private static final int METHODID_REMOVE_IMAGE = 4;
  private static final int METHODID_IMAGE_FS_INFO = 5;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_LIST_IMAGES:
          serviceImpl.listImages((runtime.v1.ListImagesRequest) request,
              (io.grpc.stub.StreamObserver<runtime.v1.ListImagesResponse>) responseObserver);
          break;
        case METHODID_STREAM_IMAGES:
          serviceImpl.streamImages((runtime.v1.StreamImagesRequest) request,
              (io.grpc.stub.StreamObserver<runtime.v1.StreamImagesResponse>) responseObserver);
          break;
        case METHODID_IMAGE_STATUS:
          serviceImpl.imageStatus((runtime.v1.ImageStatusRequest) request,
              (io.grpc.stub.StreamObserver<runtime.v1.ImageStatusResponse>) responseObserver);
          break;
        case METHODID_PULL_IMAGE:
          serviceImpl.pullImage((runtime.v1.PullImageRequest) request,
              (io.grpc.stub.StreamObserver<runtime.v1.PullImageResponse>) responseObserver);
          break;
        case METHODID_REMOVE_IMAGE:
          serviceImpl.removeImage((runtime.v1.RemoveImageRequest) request,
              (io.grpc.stub.StreamObserver<runtime.v1.RemoveImageResponse>) responseObserver);
          break;
        case METHODID_IMAGE_FS_INFO:
          serviceImpl.imageFsInfo((runtime.v1.ImageFsInfoRequest) request,
              (io.grpc.stub.StreamObserver<runtime.v1.ImageFsInfoResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getListImagesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              runtime.v1.ListImagesRequest,
              runtime.v1.ListImagesResponse>(
                service, METHODID_LIST_IMAGES)))
        .addMethod(
          getStreamImagesMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              runtime.v1.StreamImagesRequest,
              runtime.v1.StreamImagesResponse>(
                service, METHODID_STREAM_IMAGES)))
        .addMethod(
          getImageStatusMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              runtime.v1.ImageStatusRequest,
              runtime.v1.ImageStatusResponse>(
                service, METHODID_IMAGE_STATUS)))
        .addMethod(
          getPullImageMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              runtime.v1.PullImageRequest,
              runtime.v1.PullImageResponse>(
                service, METHODID_PULL_IMAGE)))
        .addMethod(
          getRemoveImageMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              runtime.v1.RemoveImageRequest,
              runtime.v1.RemoveImageResponse>(
                service, METHODID_REMOVE_IMAGE)))
        .addMethod(
          getImageFsInfoMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              runtime.v1.ImageFsInfoRequest,
              runtime.v1.ImageFsInfoResponse>(
                service, METHODID_IMAGE_FS_INFO)))
        .build();
  }

  private static abstract class ImageServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ImageServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return runtime.v1.Api.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("ImageService");
    }
  }

  private static final class ImageServiceFileDescriptorSupplier
      extends ImageServiceBaseDescriptorSupplier {
    ImageServiceFileDescriptorSupplier() {}
  }

  private static final class ImageServiceMethodDescriptorSupplier
      extends ImageServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    ImageServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (ImageServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ImageServiceFileDescriptorSupplier())
              .addMethod(getListImagesMethod())
              .addMethod(getStreamImagesMethod())
              .addMethod(getImageStatusMethod())
              .addMethod(getPullImageMethod())
              .addMethod(getRemoveImageMethod())
              .addMethod(getImageFsInfoMethod())
              .build();
        }
      }
    }
    return result;
  }
}
